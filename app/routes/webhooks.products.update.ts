import { productWebhookHandler } from "../lib/sync/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// The stored session (never refreshed) says whether the shop is installed.
export const action = webhookAction("PRODUCTS_UPDATE", productWebhookHandler("PRODUCTS_UPDATE"), { session: true });
