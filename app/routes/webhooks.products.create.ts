import { productWebhookHandler } from "../lib/sync/webhook-handlers.server";
import { syncEngine } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("PRODUCTS_CREATE", productWebhookHandler(syncEngine, "PRODUCTS_CREATE"));
