// The one error for a verified webhook whose body cannot be used, and the one policy for it, applied
// to every topic by the shared webhook route wrapper (app/webhooks.server.ts):
// docs/decisions/091-webhook-payload-errors.md. Parsers throw; nothing else decides.
import type { output, ZodType } from "zod";

export class WebhookPayloadError extends Error {
  constructor(
    /** The topic (or topics) the parser expected, e.g. "orders/create|updated". */
    readonly topic: string,
    /** Why the body was refused: the field and the rule, never the field's value. */
    readonly reason: string,
  ) {
    super(`${topic} payload rejected: ${reason}`);
    this.name = "WebhookPayloadError";
  }
}

/** `raw` parsed with `parse` (a lossless JSON parser: Shopify ids exceed 2^53); bad JSON is a payload error. */
export function parseWebhookJson<T>(topic: string, raw: string, parse: (raw: string) => T): T {
  try {
    return parse(raw);
  } catch (error) {
    throw new WebhookPayloadError(topic, `body is not JSON (${(error as Error).message})`);
  }
}

/** `body` checked against `schema`; the first issue, named by its path, is the payload error. */
export function validateWebhookBody<S extends ZodType>(topic: string, schema: S, body: unknown): output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WebhookPayloadError(topic, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Topics that act on a whole shop's data (compliance, uninstall) act on the shop their body names,
 * which must be the delivering shop: the body is what the HMAC covers, the header is not. Acting on
 * a mismatch could redact another shop's data with a replayed body, so it is refused.
 */
export function requireSameShop(topic: string, field: string, headerShop: string, bodyShop: string): void {
  if (headerShop !== bodyShop) {
    throw new WebhookPayloadError(topic, `${field} ${bodyShop} does not match the delivering shop ${headerShop}`);
  }
}

/** The delivery a rejection is logged against. */
export interface DeliveryRef {
  shop: string;
  topic: string;
  webhookId: string;
}

/** Where the rejection line goes: the app's pino logger in production, a spy in tests. */
export interface ErrorLog {
  error(details: Record<string, unknown>, message: string): void;
}

/** The policy's trace: one error-level line naming the delivery and the reason (never the body). */
export function logRejectedPayload(delivery: DeliveryRef, log: ErrorLog, error: WebhookPayloadError): void {
  log.error(
    { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId, reason: error.reason },
    "webhook payload rejected: acknowledged, nothing changed",
  );
}

/**
 * Runs a verified delivery's handler under the payload policy. A WebhookPayloadError is logged
 * (logRejectedPayload) and comes back as "rejected": the caller acknowledges it (200), because the
 * HMAC pins the body and a retry would resend the same bytes. Any other failure (database or
 * Appwrite down…) propagates, so the delivery fails and Shopify retries it.
 */
export async function applyPayloadPolicy(
  delivery: DeliveryRef,
  log: ErrorLog,
  handle: () => Promise<void>,
): Promise<"accepted" | "rejected"> {
  try {
    await handle();
    return "accepted";
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    logRejectedPayload(delivery, log, error);
    return "rejected";
  }
}
