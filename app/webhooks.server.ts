// Shared shape of every webhook route (decision 093): verify the HMAC over the raw body with the
// library's pure check, parse the body, check the topic, hand off, 200. No access token is loaded or
// refreshed here: after an uninstall Shopify refuses the refresh, and the delivery must still succeed.
// A body the handler refuses (WebhookPayloadError) is logged and acknowledged: decision 091.
import type { ActionFunctionArgs } from "@remix-run/node";
import { WebhookValidationErrorReason, type Session } from "@shopify/shopify-api";
import { BodyTooLargeError, readLimitedBody } from "./lib/http/read-limited-body.server";
import { applyPayloadPolicy, logRejectedPayload, WebhookPayloadError } from "./lib/shopify/webhook-payload-error";
import type { Services } from "./services.server";

/** Far above any real product/order payload (Shopify caps REST payloads well below this). */
export const WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** A verified delivery, as the signed request states it. */
export interface WebhookContext {
  shop: string;
  /** As the library names topics: "PRODUCTS_UPDATE". */
  topic: string;
  webhookId: string;
  apiVersion: string;
  /** X-Shopify-Triggered-At (when the event happened), if Shopify sent it. */
  triggeredAt?: string;
  payload: unknown;
  /**
   * The shop's offline session exactly as stored (its token may be expired: it is never refreshed
   * here); only for routes that ask for it, and absent once the app is uninstalled.
   */
  session?: Session;
}

/** The body exactly as Shopify sent it: ids beyond 2^53 must be read from the text, not from `payload`. */
export interface WebhookDelivery {
  rawBody: string;
}

export interface WebhookRouteOptions {
  /** Read the shop's stored offline session (no refresh) into `webhook.session`. */
  session?: boolean;
}

const methodNotAllowed = () => new Response(null, { status: 405, headers: { Allow: "POST" } });

/** Webhook routes are POST only: a GET reaches this loader and is told so (Remix alone would say 400). */
export const webhookLoader = async () => methodNotAllowed();

export function webhookAction(
  expectedTopic: string,
  handle: (webhook: WebhookContext, delivery: WebhookDelivery, services: Services) => Promise<void>,
  options: WebhookRouteOptions = {},
) {
  return async ({ request, context }: ActionFunctionArgs) => {
    const { services } = context;
    if (request.method !== "POST") return methodNotAllowed();
    const path = new URL(request.url).pathname;
    let rawBody: string;
    try {
      rawBody = await readLimitedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        services.log.warn({ path, limit: error.limitBytes }, "oversized webhook refused");
        return Response.json({ error: "payload_too_large", message: error.message }, { status: 413 });
      }
      throw error;
    }
    // Unsigned: not from Shopify. 401 like a bad signature (the library would say 400, "missing headers").
    if (!request.headers.get("x-shopify-hmac-sha256")) {
      services.log.warn({ path }, "unsigned webhook refused");
      return new Response("Unauthorized: missing X-Shopify-Hmac-Sha256", { status: 401 });
    }
    // The library's pure check: HMAC over exactly these bytes, then the required headers.
    const check = await services.webhookVerifier.validate({ rawBody, rawRequest: request });
    if (!check.valid) {
      const forged = check.reason === WebhookValidationErrorReason.InvalidHmac;
      services.log.warn({ path, reason: check.reason }, "webhook refused");
      return new Response(null, { status: forged ? 401 : 400 });
    }
    const delivery = { shop: check.domain, topic: check.topic, webhookId: check.webhookId };
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch (error) {
      // Signed bytes that are not JSON: a retry resends them, so acknowledge and log (decision 091).
      const rejection = new WebhookPayloadError(check.topic, `body is not JSON (${(error as Error).message})`);
      logRejectedPayload(delivery, services.log, rejection);
      return new Response(null, { status: 200 });
    }
    const log = services.log.child(delivery);
    if (check.topic !== expectedTopic) {
      // A subscription pointing at the wrong route: acknowledge (a retry would not help) but say so loudly.
      log.error({ expectedTopic }, "webhook delivered to the route of another topic");
      return new Response(null, { status: 200 });
    }
    const webhook: WebhookContext = {
      ...delivery,
      apiVersion: check.apiVersion,
      triggeredAt: check.triggeredAt,
      payload,
      session: options.session ? await storedOfflineSession(services, check.domain) : undefined,
    };
    const outcome = await applyPayloadPolicy(delivery, services.log, () => handle(webhook, { rawBody }, services));
    if (outcome === "accepted") log.info("webhook accepted");
    return new Response(null, { status: 200 });
  };
}

/** The stored offline session, read as is: whether it is expired is the Admin API callers' concern. */
async function storedOfflineSession(services: Services, shop: string): Promise<Session | undefined> {
  return services.shopify.sessionStorage?.loadSession(services.webhookVerifier.offlineSessionId(shop));
}
