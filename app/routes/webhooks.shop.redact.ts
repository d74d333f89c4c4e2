import { syncEngine } from "../services.server";
import { webhookAction } from "../webhooks.server";

// Every trace of the shop: index collections, customer data and conversations, sync state, sessions.
export const action = webhookAction("SHOP_REDACT", async ({ shop }) => {
  await syncEngine.redact(shop);
});
