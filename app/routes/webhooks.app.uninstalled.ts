import { lifecycleWebhookHandler } from "../lib/lifecycle/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Recorded as a lifecycle job: sessions go and sync stops; the data stays until shop/redact.
export const action = webhookAction("APP_UNINSTALLED", lifecycleWebhookHandler("app/uninstalled"));
