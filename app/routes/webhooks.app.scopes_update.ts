import { z } from "zod";
import { validateWebhookBody } from "../lib/shopify/webhook-payload-error";
import { recordScopesUpdate } from "../lib/sync/shop-lifecycle.server";
import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

export const action = webhookAction("APP_SCOPES_UPDATE", async ({ shop, payload }, _delivery, { prisma }) => {
  const { current } = validateWebhookBody("app/scopes_update", scopesUpdatePayload, payload);
  await recordScopesUpdate(prisma, shop, current);
});
