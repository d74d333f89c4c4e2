import { lifecycleWebhookHandler } from "../lib/lifecycle/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Recorded as a lifecycle job: everything stored about the customer (idempotent).
export const action = webhookAction("CUSTOMERS_REDACT", lifecycleWebhookHandler("customers/redact"));
