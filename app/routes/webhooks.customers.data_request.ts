import { lifecycleWebhookHandler } from "../lib/lifecycle/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Recorded as a lifecycle job: builds the export listed in the dashboard (a replay replaces it).
export const action = webhookAction("CUSTOMERS_DATA_REQUEST", lifecycleWebhookHandler("customers/data_request"));
