import { lifecycleWebhookHandler } from "../lib/lifecycle/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Recorded as a lifecycle job: every trace of the shop (index, customer data, sync state, sessions).
export const action = webhookAction("SHOP_REDACT", lifecycleWebhookHandler("shop/redact"));
