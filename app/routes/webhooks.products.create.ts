import { productWebhookHandler } from "../lib/sync/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("PRODUCTS_CREATE", productWebhookHandler("PRODUCTS_CREATE"));
