// Shared shape of every webhook route: verify with the library (HMAC over the raw body — a
// forged or unsigned delivery gets 401 before anything runs), check the topic, hand off, 200.
import type { ActionFunctionArgs } from "@remix-run/node";
import { BodyTooLargeError, readLimitedBody } from "./lib/http/read-limited-body.server";
import { logger } from "./lib/logger.server";
import { authenticate } from "./shopify.server";

/** Far above any real product/order payload (Shopify caps REST payloads well below this). */
export const WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

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
    let rawBody: string;
    try {
      rawBody = await readLimitedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        logger.warn({ path: new URL(request.url).pathname, limit: error.limitBytes }, "oversized webhook refused");
        return Response.json({ error: "payload_too_large", message: error.message }, { status: 413 });
      }
      throw error;
    }
    // Unsigned: not from Shopify. 401 like a bad signature (the library would say 400, "missing headers").
    if (!request.headers.get("x-shopify-hmac-sha256")) {
      logger.warn({ path: new URL(request.url).pathname }, "unsigned webhook refused");
      return new Response("Unauthorized: missing X-Shopify-Hmac-Sha256", { status: 401 });
    }
    // The library verifies the HMAC over exactly these bytes.
    const webhook = await authenticate.webhook(
      new Request(request.url, { method: request.method, headers: request.headers, body: rawBody }),
    );
    const log = logger.child({ shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId });
    if (webhook.topic !== expectedTopic) {
      // A subscription pointing at the wrong route: acknowledge (a retry would not help) but say so loudly.
      log.error({ expectedTopic }, "webhook delivered to the route of another topic");
      return new Response(null, { status: 200 });
    }
    await handle(webhook, { rawBody });
    log.info("webhook accepted");
    return new Response(null, { status: 200 });
  };
}
