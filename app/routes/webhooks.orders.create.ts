import { lifecycleWebhookHandler } from "../lib/lifecycle/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Recorded as a job and answered at once; the worker writes the record to the customer store (decision 108).
export const action = webhookAction("ORDERS_CREATE", lifecycleWebhookHandler("orders/create"));
