// Shared shape of every webhook route: verify with the library (HMAC over the raw body — a
// forged or unsigned delivery gets 401 before anything runs), check the topic, hand off, 200.
// A body the handler refuses (WebhookPayloadError) is logged and acknowledged: decision 091.
import type { ActionFunctionArgs } from "@remix-run/node";
import { BodyTooLargeError, readLimitedBody } from "./lib/http/read-limited-body.server";
import { applyPayloadPolicy, logRejectedPayload, WebhookPayloadError } from "./lib/shopify/webhook-payload-error";
import type { Services } from "./services.server";

/** Far above any real product/order payload (Shopify caps REST payloads well below this). */
export const WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export type WebhookContext = Awaited<ReturnType<Services["shopify"]["authenticate"]["webhook"]>>;

/** The body exactly as Shopify sent it: ids beyond 2^53 must be read from the text, not from `payload`. */
export interface WebhookDelivery {
  rawBody: string;
}

export function webhookAction(
  expectedTopic: string,
  handle: (webhook: WebhookContext, delivery: WebhookDelivery, services: Services) => Promise<void>,
) {
  return async ({ request, context }: ActionFunctionArgs) => {
    const { services } = context;
    let rawBody: string;
    try {
      rawBody = await readLimitedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        services.log.warn(
          { path: new URL(request.url).pathname, limit: error.limitBytes },
          "oversized webhook refused",
        );
        return Response.json({ error: "payload_too_large", message: error.message }, { status: 413 });
      }
      throw error;
    }
    // Unsigned: not from Shopify. 401 like a bad signature (the library would say 400, "missing headers").
    if (!request.headers.get("x-shopify-hmac-sha256")) {
      services.log.warn({ path: new URL(request.url).pathname }, "unsigned webhook refused");
      return new Response("Unauthorized: missing X-Shopify-Hmac-Sha256", { status: 401 });
    }
    // The library verifies the HMAC over exactly these bytes.
    let webhook: WebhookContext;
    try {
      webhook = await services.shopify.authenticate.webhook(
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
        services.log,
        new WebhookPayloadError(topic, `body is not JSON (${error.message})`),
      );
      return new Response(null, { status: 200 });
    }
    const log = services.log.child({ shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId });
    if (webhook.topic !== expectedTopic) {
      // A subscription pointing at the wrong route: acknowledge (a retry would not help) but say so loudly.
      log.error({ expectedTopic }, "webhook delivered to the route of another topic");
      return new Response(null, { status: 200 });
    }
    const outcome = await applyPayloadPolicy(webhook, services.log, () => handle(webhook, { rawBody }, services));
    if (outcome === "accepted") log.info("webhook accepted");
    return new Response(null, { status: 200 });
  };
}
