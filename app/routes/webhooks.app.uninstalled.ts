import { appUninstalledHandler } from "../lib/sync/webhook-handlers.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

export const action = webhookAction("APP_UNINSTALLED", appUninstalledHandler);
