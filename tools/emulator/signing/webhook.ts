// Webhook deliveries as Shopify signs them: base64 HMAC-SHA256 of the raw body with the app secret, in
// X-Shopify-Hmac-Sha256 beside the other X-Shopify-* headers. The emulator's deliveries and the tests'
// signed webhook requests both take their headers from here.
import { createHmac, randomUUID } from "node:crypto";

export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** Shopify's X-Shopify-Triggered-At format: microseconds and a Z. */
const shopifyTriggeredAt = (): string => new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

/** One delivery of one event. */
export interface WebhookMessage {
  topic: string;
  shop: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  /** The raw JSON body, signed byte for byte. */
  body: string;
}

/** A new delivery of `body`: a fresh event id, a fresh webhook id unless given (a replay), stamped now. */
export function webhookMessage(input: {
  topic: string;
  shop: string;
  body: string;
  webhookId?: string;
}): WebhookMessage {
  return {
    topic: input.topic,
    shop: input.shop,
    webhookId: input.webhookId ?? randomUUID(),
    eventId: randomUUID(),
    triggeredAt: shopifyTriggeredAt(),
    body: input.body,
  };
}

/** The headers Shopify sends with a delivery, signed with the app's secret. */
export function webhookHeaders(
  message: WebhookMessage,
  app: { apiSecret: string; apiVersion: string },
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": message.topic,
    "X-Shopify-Hmac-Sha256": webhookHmac(message.body, app.apiSecret),
    "X-Shopify-Shop-Domain": message.shop,
    "X-Shopify-API-Version": app.apiVersion,
    "X-Shopify-Webhook-Id": message.webhookId,
    "X-Shopify-Event-Id": message.eventId,
    "X-Shopify-Triggered-At": message.triggeredAt,
  };
}

/** The POST Shopify makes to a subscription's URL. */
export function webhookRequest(
  url: string | URL,
  message: WebhookMessage,
  app: { apiSecret: string; apiVersion: string },
): Request {
  return new Request(url, { method: "POST", headers: webhookHeaders(message, app), body: message.body });
}
