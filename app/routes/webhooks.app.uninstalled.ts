import { webhookAction } from "../webhooks.server";

export const action = webhookAction("APP_UNINSTALLED", async ({ shop }, _delivery, { syncEngine }) => {
  await syncEngine.uninstall(shop);
});
