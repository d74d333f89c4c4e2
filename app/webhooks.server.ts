// Shared shape of every webhook route: verify with the library (HMAC over the raw body — a
// forged or unsigned delivery gets 401 before anything runs), check the topic, hand off, 200.
// A body the handler refuses (WebhookPayloadError) is logged and acknowledged: decision 091.
import type { ActionFunctionArgs } from "@remix-run/node";
import { BodyTooLargeError, payloadTooLarge, readLimitedBody } from "./lib/http/read-limited-body.server";
import { logger } from "./lib/logger.server";
import { applyPayloadPolicy, logRejectedPayload, WebhookPayloadError } from "./lib/shopify/webhook-payload-error";
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
        return payloadTooLarge(error);
      }
      throw error;
    }
    // Unsigned: not from Shopify. 401 like a bad signature (the library would say 400, "missing headers").
    if (!request.headers.get("x-shopify-hmac-sha256")) {
      logger.warn({ path: new URL(request.url).pathname }, "unsigned webhook refused");
      return new Response("Unauthorized: missing X-Shopify-Hmac-Sha256", { status: 401 });
    }
    // The library verifies the HMAC over exactly these bytes.
    let webhook: WebhookContext;
    try {
      webhook = await authenticate.webhook(
        new Request(request.url, { method: request.method, headers: request.headers, body: rawBody }),
      );
    } catch (error) {
      // The library parses the body only once the HMAC has passed: a SyntaxError is a verified body
      // that is not JSON, a payload error like any other (the delivery is named from its headers).
      if (!(error instanceof SyntaxError)) throw error;
      const header = (name: string) => request.headers.get(name) ?? "";
      const topic = header("x-shopify-topic").toUpperCase().replace(/\//g, "_") || expectedTopic;
      logRejectedPayload(
        { shop: header("x-shopify-shop-domain"), topic, webhookId: header("x-shopify-webhook-id") },
        logger,
        new WebhookPayloadError(topic, `body is not JSON (${error.message})`),
      );
      return new Response(null, { status: 200 });
    }
    const log = logger.child({ shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId });
    if (webhook.topic !== expectedTopic) {
      // A subscription pointing at the wrong route: acknowledge (a retry would not help) but say so loudly.
      log.error({ expectedTopic }, "webhook delivered to the route of another topic");
      return new Response(null, { status: 200 });
    }
    const outcome = await applyPayloadPolicy(webhook, logger, () => handle(webhook, { rawBody }));
    if (outcome === "accepted") log.info("webhook accepted");
    return new Response(null, { status: 200 });
  };
}
