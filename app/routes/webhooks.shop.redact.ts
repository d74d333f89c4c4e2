import { shopRedactHandler } from "../lib/sync/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Every trace of the shop: index collections, customer data and conversations, sync state, sessions.
export const action = webhookAction("SHOP_REDACT", shopRedactHandler);
