import { productWebhookHandler } from "../lib/sync/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("PRODUCTS_DELETE", productWebhookHandler("PRODUCTS_DELETE"));
