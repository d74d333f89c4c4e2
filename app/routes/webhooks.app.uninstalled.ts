import { syncEngine } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("APP_UNINSTALLED", async ({ shop }) => {
  await syncEngine.uninstall(shop);
});
