import { z } from "zod";
import { recordScopesUpdate } from "../lib/sync/shop-lifecycle.server";
import { webhookAction } from "../webhooks.server";

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

export const action = webhookAction("APP_SCOPES_UPDATE", async ({ shop, payload }, _delivery, { prisma }) => {
  await recordScopesUpdate(prisma, shop, scopesUpdatePayload.parse(payload).current);
});
