// The compliance and uninstall webhook routes: check the body (the shop it names must be the
// delivering shop: the body is what the HMAC covers, the header is not), record the job once per
// webhook id, answer. The work itself runs in the lifecycle worker (lifecycle-jobs.server.ts).
// An unusable body throws WebhookPayloadError: acknowledged and logged, nothing recorded (decision 091).
import { z } from "zod";
import {
  compliancePayloadFromWebhook,
  customerProfileFromWebhook,
  deletedCustomerIdFromWebhook,
  orderSummaryFromWebhook,
} from "../customers/webhook-payloads";
import { encodeFacts, orderFactsFromWebhook } from "../results/order-facts";
import { requireSameShop, validateWebhookBody, WebhookPayloadError } from "../shopify/webhook-payload-error";
import type { VerifiedWebhook } from "../sync/webhook-handlers.server";
import type { LifecycleJobs, LifecycleTopic } from "./lifecycle-jobs.server";

export interface LifecycleWebhookServices {
  lifecycleJobs: Pick<LifecycleJobs, "record">;
}

/** The body must name the delivering shop in `field`. */
function requireBodyShop(topic: string, field: string, webhook: VerifiedWebhook) {
  const body = validateWebhookBody(topic, z.object({ [field]: z.string().min(1) }), webhook.payload);
  requireSameShop(topic, field, webhook.shop, body[field]);
}

/** The lifecycle topics Shopify delivers as webhooks (the others are the app's own events). */
type WebhookTopic = Exclude<LifecycleTopic, "flow/handoff">;

/**
 * What the job needs from the body, and nothing more (never addresses, emails, phone numbers). Customer and order records keep the minimal record the store will hold; orders also their
 * Results figures (no buyer in them).
 */
function jobInput(topic: WebhookTopic, webhook: VerifiedWebhook, rawBody: string): Record<string, string> {
  if (topic === "customers/create" || topic === "customers/update") {
    const profile = customerProfileFromWebhook(webhook.shop, rawBody, new Date());
    return { customerId: profile.customerId, record: JSON.stringify(profile) };
  }
  if (topic === "customers/delete") return { customerId: deletedCustomerIdFromWebhook(rawBody) };
  if (topic === "orders/create" || topic === "orders/updated") {
    // A customer's order feeds the assistant; every order (guest orders too) counts for Results.
    const order = orderSummaryFromWebhook(webhook.shop, rawBody);
    const record: Record<string, string> = order ? { customerId: order.customerId, record: JSON.stringify(order) } : {};
    try {
      return { ...record, attribution: encodeFacts(orderFactsFromWebhook(rawBody)) };
    } catch (error) {
      // Figures Results cannot use do not cost the customer record; the job's outcome says why.
      if (!order || !(error instanceof WebhookPayloadError)) throw error;
      return { ...record, attributionRefused: error.reason };
    }
  }
  if (topic === "app/uninstalled") {
    requireBodyShop(topic, "myshopify_domain", webhook);
    return {};
  }
  if (topic === "shop/redact") {
    requireBodyShop(topic, "shop_domain", webhook);
    return {};
  }
  const payload = compliancePayloadFromWebhook(topic, rawBody);
  requireSameShop(topic, "shop_domain", webhook.shop, payload.shopDomain);
  if (topic === "customers/redact")
    return payload.orderIds.length
      ? { customerId: payload.customerId, orderIds: JSON.stringify(payload.orderIds) }
      : { customerId: payload.customerId };
  // Keyed by Shopify's data_request id, else by the delivery: a replay replaces the export.
  return { customerId: payload.customerId, requestId: payload.dataRequestId ?? `webhook:${webhook.webhookId}` };
}

/** When the event happened: X-Shopify-Triggered-At when usable, else now (the delivery's arrival). */
function eventTime(webhook: VerifiedWebhook): Date {
  const triggeredAt = webhook.triggeredAt ? new Date(webhook.triggeredAt) : undefined;
  return triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : new Date();
}

export function lifecycleWebhookHandler(topic: WebhookTopic) {
  return async (webhook: VerifiedWebhook, { rawBody }: { rawBody: string }, services: LifecycleWebhookServices) => {
    const input = jobInput(topic, webhook, rawBody);
    await services.lifecycleJobs.record({
      webhookId: webhook.webhookId,
      shop: webhook.shop,
      topic,
      eventAt: eventTime(webhook),
      input,
    });
  };
}
