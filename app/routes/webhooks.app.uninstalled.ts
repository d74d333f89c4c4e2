import prisma from "../db.server";
import { logger } from "../lib/logger.server";
import { recordUninstall } from "../lib/sync/shop-lifecycle.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("APP_UNINSTALLED", async ({ shop }) => {
  await recordUninstall(prisma, logger, shop);
});
