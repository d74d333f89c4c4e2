// Shopify webhook bodies (customers/*, orders/*, compliance topics) → the minimal records Aisle keeps.
// Pure. Bodies are parsed from the raw text with lossless-json: Shopify ids exceed 2^53, and the
// library's already-parsed payload (JSON.parse) has rounded them (e.g. 706405506930370084 becomes
// 706405506930370000). Fields not listed here (addresses, emails, phones, payment data, notes)
// are never read, so they cannot be stored by accident.
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import { z } from "zod";
import { gidPrefix, legacyId } from "../shopify/gid";
import { parseWebhookJson, validateWebhookBody, WebhookPayloadError } from "../shopify/webhook-payload-error";
import type { CustomerProfile, MarketingConsent, OrderSummary } from "./types";

/** Parses JSON keeping every integer exactly: unsafe integers come back as decimal strings. */
export function parseWebhookBody(raw: string): unknown {
  return parseLossless(raw, null, (value) => (isSafeNumber(value) ? Number(value) : value));
}

export const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const gid = (type: string) =>
  z
    .string()
    .refine((value) => value.startsWith(gidPrefix(type)) && /^\d+$/.test(legacyId(value)), `not a ${type} GID`)
    .transform(legacyId);
export const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a timestamp")
  .transform((value) => new Date(value));
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : null));

/** Prefers the GraphQL id (a string, exact) and falls back to the numeric id parsed losslessly. */
function pickId(topic: string, what: string, gidValue: string | undefined, id: string | undefined): string {
  const value = gidValue ?? id;
  if (!value) throw new WebhookPayloadError(topic, `${what} has no id`);
  return value;
}

function parseWith<S extends z.ZodType>(topic: string, schema: S, raw: string): z.output<S> {
  return validateWebhookBody(topic, schema, parseWebhookJson(topic, raw, parseWebhookBody));
}

const consentStates: Record<string, MarketingConsent> = {
  subscribed: "subscribed",
  not_subscribed: "not_subscribed",
  unsubscribed: "unsubscribed",
  pending: "pending",
};

const customerSchema = z.object({
  id: numericId.optional(),
  admin_graphql_api_id: gid("Customer").optional(),
  first_name: optionalText,
  // REST payloads send "a, b"; accept a list too, as GraphQL-shaped payloads do.
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  orders_count: z.number().int().nonnegative().nullish(),
  email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
  updated_at: timestamp.nullish(),
  created_at: timestamp.nullish(),
});

/** customers/create and customers/update → the profile the assistant may use. */
export function customerProfileFromWebhook(shop: string, raw: string, receivedAt: Date): CustomerProfile {
  const topic = "customers/create|update";
  const body = parseWith(topic, customerSchema, raw);
  const tags = (Array.isArray(body.tags) ? body.tags : (body.tags ?? "").split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
  const consentState = body.email_marketing_consent?.state?.toLowerCase() ?? "";
  return {
    shop,
    customerId: pickId(topic, "customer", body.admin_graphql_api_id, body.id),
    firstName: body.first_name,
    tags: [...new Set(tags)],
    orderCount: body.orders_count ?? null,
    marketingConsent: consentStates[consentState] ?? "unknown",
    sourceUpdatedAt: body.updated_at ?? body.created_at ?? receivedAt,
  };
}

/** customers/delete → the customer id. */
export function deletedCustomerIdFromWebhook(raw: string): string {
  const topic = "customers/delete";
  const body = parseWith(topic, customerSchema.pick({ id: true, admin_graphql_api_id: true }), raw);
  return pickId(topic, "customer", body.admin_graphql_api_id, body.id);
}

/** What every reader of an order's line items needs (the summary here, Results' figures). */
export const ORDER_LINE_ITEM_FIELDS = {
  product_id: numericId.nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
};

const orderSchema = z.object({
  id: numericId.optional(),
  admin_graphql_api_id: gid("Order").optional(),
  name: z.string().min(1),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  closed_at: timestamp.nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  customer: z.object({ id: numericId.optional(), admin_graphql_api_id: gid("Customer").optional() }).nullish(),
  line_items: z.array(z.object(ORDER_LINE_ITEM_FIELDS)).default([]),
  fulfillments: z
    .array(
      z.object({
        status: z.string().nullish(),
        shipment_status: z.string().nullish(),
        tracking_company: z.string().nullish(),
        tracking_url: z.string().nullish(),
        tracking_urls: z.array(z.string()).nullish(),
        updated_at: timestamp.nullish(),
      }),
    )
    .default([]),
});

/**
 * orders/create and orders/updated → the order summary, or null for an order without a customer
 * (guest checkout): nothing links it to a shopper who could ask about it.
 */
export function orderSummaryFromWebhook(shop: string, raw: string): OrderSummary | null {
  const topic = "orders/create|updated";
  const body = parseWith(topic, orderSchema, raw);
  if (!body.customer || (!body.customer.id && !body.customer.admin_graphql_api_id)) return null;
  return {
    shop,
    orderId: pickId(topic, "order", body.admin_graphql_api_id, body.id),
    customerId: pickId(topic, "order customer", body.customer.admin_graphql_api_id, body.customer.id),
    name: body.name,
    placedAt: body.processed_at ?? body.created_at,
    financialStatus: body.financial_status ?? null,
    fulfillmentStatus: body.fulfillment_status ?? null,
    cancelledAt: body.cancelled_at ?? null,
    closedAt: body.closed_at ?? null,
    items: body.line_items.map((item) => ({
      productId: item.product_id ?? null,
      title: item.title ?? item.name ?? "",
      quantity: item.quantity,
    })),
    fulfillments: body.fulfillments.map((f) => ({
      status: f.status ?? null,
      shipmentStatus: f.shipment_status ?? null,
      trackingCompany: f.tracking_company ?? null,
      trackingUrl: f.tracking_url ?? f.tracking_urls?.[0] ?? null,
      updatedAt: f.updated_at ?? null,
    })),
    sourceUpdatedAt: body.updated_at ?? body.created_at,
  };
}

const complianceSchema = z.object({
  shop_domain: z.string().min(1),
  customer: z.object({ id: numericId }),
  orders_to_redact: z.array(numericId).nullish(),
  orders_requested: z.array(numericId).nullish(),
  data_request: z.object({ id: numericId }).nullish(),
});

export interface CompliancePayload {
  shopDomain: string;
  customerId: string;
  orderIds: string[];
  /** customers/data_request only. */
  dataRequestId: string | null;
}

/** customers/redact and customers/data_request. */
export function compliancePayloadFromWebhook(topic: string, raw: string): CompliancePayload {
  const body = parseWith(topic, complianceSchema, raw);
  return {
    shopDomain: body.shop_domain,
    customerId: body.customer.id,
    orderIds: body.orders_to_redact ?? body.orders_requested ?? [],
    dataRequestId: body.data_request?.id ?? null,
  };
}
