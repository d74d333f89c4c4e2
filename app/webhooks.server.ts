// Shared shape of every webhook route: verify with the library (HMAC over the raw body — a
// forged or unsigned delivery gets 401 before anything runs), check the topic, hand off, 200.
import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "./lib/logger.server";
import { authenticate } from "./shopify.server";

export type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>>;

/** The body exactly as Shopify sent it: ids beyond 2^53 must be read from the text, not from `payload`. */
export interface WebhookDelivery {
  rawBody: string;
}

export function webhookAction(
  expectedTopic: string,
  handle: (webhook: WebhookContext, delivery: WebhookDelivery) => Promise<void>,
) {
  return async ({ request }: ActionFunctionArgs) => {
    const rawBody = request.clone().text();
    const webhook = await authenticate.webhook(request);
    const log = logger.child({ shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId });
    if (webhook.topic !== expectedTopic) {
      // A subscription pointing at the wrong route: acknowledge (a retry would not help) but say so loudly.
      log.error({ expectedTopic }, "webhook delivered to the route of another topic");
      return new Response(null, { status: 200 });
    }
    await handle(webhook, { rawBody: await rawBody });
    log.info("webhook accepted");
    return new Response(null, { status: 200 });
  };
}

/** Verified and acknowledged; the capability that consumes this topic records it. */
export const acknowledgeOnly = async () => {};
