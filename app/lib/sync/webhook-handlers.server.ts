// The sync side of the webhook routes (app/routes/webhooks.*): verified deliveries in, a few DB
// writes, out. Routes wrap these in `webhookAction` (verify → topic check → handler → 200); an
// unusable body throws WebhookPayloadError, which webhookAction acknowledges and logs (decision 091).
import type { Logger } from "../logger.server";
import { WebhookPayloadError } from "../shopify/webhook-payload-error";
import type { SyncEngine } from "./sync-engine.server";
import type { ProductTopic } from "./webhook-intake.server";

/** What the handlers need of the verified webhook context. */
export interface VerifiedWebhook {
  shop: string;
  webhookId: string;
  /** X-Shopify-Triggered-At: when the event happened. */
  triggeredAt?: string;
  /** The shop's stored offline session (never refreshed by the route); absent once uninstalled. */
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
    await syncEngine.intakeProductWebhook({
      shop: webhook.shop,
      topic,
      webhookId: webhook.webhookId,
      rawBody,
      installed: Boolean(webhook.session),
    });
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
  // Polling notices the finished operation anyway; this delivery only makes it sooner.
  if (typeof id !== "string") throw new WebhookPayloadError("bulk_operations/finish", "no admin_graphql_api_id");
  const known = await syncEngine.onBulkOperationFinished(webhook.shop, id);
  if (!known) log.info({ shop: webhook.shop, bulkOperationId: id }, "bulk operation finished that no import waits for");
}
