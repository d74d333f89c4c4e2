// The sync side of the webhook routes (app/routes/webhooks.*): verified deliveries in, a few DB
// writes, out. Routes wrap these in `webhookAction` (verify → topic check → handler → 200).
import type { Logger } from "../logger.server";
import { WebhookPayloadError } from "../shopify/product-from-webhook";
import type { SyncEngine } from "./sync-engine.server";
import type { ProductTopic } from "./webhook-intake.server";

/** What the handlers need of the verified webhook context. */
export interface VerifiedWebhook {
  shop: string;
  webhookId: string;
  /** The shop's offline session; absent once the app is uninstalled. */
  session?: unknown;
  payload?: unknown;
}

/** The app services the handlers use (the composition root's `Services` satisfies it). */
export interface SyncHandlerServices {
  syncEngine: SyncEngine;
  log: Logger;
}

export function productWebhookHandler(topic: ProductTopic) {
  return async (webhook: VerifiedWebhook, { rawBody }: { rawBody: string }, { syncEngine }: SyncHandlerServices) => {
    try {
      await syncEngine.intakeProductWebhook({
        shop: webhook.shop,
        topic,
        webhookId: webhook.webhookId,
        rawBody,
        installed: Boolean(webhook.session),
      });
    } catch (error) {
      // Verified but unreadable: say why, write nothing; Shopify retries (a fix may land meanwhile).
      if (error instanceof WebhookPayloadError) throw new Response(error.message, { status: 400 });
      throw error;
    }
  };
}

/** bulk_operations/finish: makes the import look at its export now (polling is the fallback). */
export async function bulkOperationFinishHandler(
  webhook: VerifiedWebhook,
  _delivery: unknown,
  { syncEngine, log }: SyncHandlerServices,
) {
  const payload = webhook.payload as { admin_graphql_api_id?: unknown } | undefined;
  const id = payload?.admin_graphql_api_id;
  if (typeof id !== "string")
    throw new Response("bulk_operations/finish payload has no admin_graphql_api_id", { status: 400 });
  const known = await syncEngine.onBulkOperationFinished(webhook.shop, id);
  if (!known) log.info({ shop: webhook.shop, bulkOperationId: id }, "bulk operation finished that no import waits for");
}
