import { webhookAction } from "../webhooks.server";

// Every trace of the shop: index collections, customer data and conversations, sync state, sessions.
export const action = webhookAction("SHOP_REDACT", async ({ shop }, _delivery, { syncEngine }) => {
  await syncEngine.redact(shop);
});
