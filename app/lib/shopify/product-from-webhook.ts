// products/create|update|delete REST payloads → Product (or a deleted id). Parsed from the raw body
// with lossless-json: numeric ids exceed 2^53, so GIDs come from `admin_graphql_api_id` or from the
// exact digits, never from a JSON number.
import { isLosslessNumber, parse as parseLossless } from "lossless-json";
import { z } from "zod";
import type { Product, ProductStatus } from "../catalog/product";
import { gidPrefix, productGid } from "./gid";
import { parseWebhookJson, validateWebhookBody, WebhookPayloadError } from "./webhook-payload-error";

/** REST payloads leave these out; sync keeps the last known values (docs/decisions/040). */
export const FIELDS_ABSENT_FROM_WEBHOOKS = ["collections", "metafields", "onlineStoreUrl"] as const;

const idText = z.union([z.string(), z.custom<{ toString(): string }>((v) => isLosslessNumber(v))]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? "");
const decimal = z
  .union([z.string(), z.custom((v) => isLosslessNumber(v))])
  .transform(String)
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), "must be a decimal amount");
const integer = z.custom((v) => isLosslessNumber(v) || typeof v === "number").transform((v) => Number(String(v)));

const restVariant = z.object({
  admin_graphql_api_id: z.string().startsWith(gidPrefix("ProductVariant")),
  title: text,
  sku: z.string().nullish(),
  barcode: z.string().nullish(),
  price: decimal,
  compare_at_price: decimal.nullish(),
  inventory_policy: z.string().nullish(),
  inventory_quantity: integer.nullish(),
  option1: z.string().nullish(),
  option2: z.string().nullish(),
  option3: z.string().nullish(),
  image_id: idText.nullish(),
});

const restImage = z.object({ id: idText.nullish(), src: z.string(), alt: z.string().nullish() });

const restProduct = z.object({
  admin_graphql_api_id: z.string().startsWith(gidPrefix("Product")),
  title: z.string(),
  handle: z.string(),
  body_html: text,
  vendor: text,
  product_type: text,
  tags: z
    .string()
    .nullish()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  status: z.enum(["active", "draft", "archived", "unlisted"]),
  published_at: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be a date-time"),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).nullish(),
  variants: z.array(restVariant).default([]),
  image: restImage.nullish(),
  images: z.array(restImage).nullish(),
});

const UPSERT_TOPIC = "products/create|update";
const DELETE_TOPIC = "products/delete";
// lossless-json keeps every number as its exact digits (LosslessNumber), which the schema reads as text.
const parseBody = (topic: string, rawBody: string): unknown => parseWebhookJson(topic, rawBody, parseLossless);

const iso = (value: string) => new Date(value).toISOString();

/**
 * A products/create or products/update body as a Product. `collections` is null (the REST payload
 * does not say), `metafields` empty and `onlineStoreUrl` null: sync fills them from the last known state.
 */
export function productFromWebhook(rawBody: string): Product {
  const p = validateWebhookBody(UPSERT_TOPIC, restProduct, parseBody(UPSERT_TOPIC, rawBody));
  const optionNames = (p.options ?? []).map((o) => o.name);
  const imageById = new Map((p.images ?? []).map((img) => [img.id ?? "", img.src]));
  const featured = p.image ?? p.images?.[0] ?? null;
  return {
    id: p.admin_graphql_api_id,
    handle: p.handle,
    title: p.title,
    descriptionHtml: p.body_html,
    vendor: p.vendor,
    productType: p.product_type,
    tags: p.tags,
    status: p.status.toUpperCase() as ProductStatus,
    publishedOnline: Boolean(p.published_at),
    onlineStoreUrl: null,
    options: (p.options ?? []).map((o) => ({ name: o.name, values: o.values })),
    collections: null,
    featuredImage: featured ? { url: featured.src, altText: featured.alt ?? null } : null,
    metafields: [],
    variants: p.variants.map((v) => {
      const values = [v.option1, v.option2, v.option3];
      return {
        id: v.admin_graphql_api_id,
        title: v.title,
        sku: v.sku || null,
        barcode: v.barcode || null,
        price: v.price,
        compareAtPrice: v.compare_at_price ?? null,
        // REST has no availableForSale: in stock, or sold when out of stock ("continue").
        availableForSale: v.inventory_policy === "continue" || (v.inventory_quantity ?? 1) > 0,
        inventoryQuantity: v.inventory_quantity ?? null,
        selectedOptions: optionNames.flatMap((name, i) => (values[i] ? [{ name, value: values[i] as string }] : [])),
        imageUrl: (v.image_id && imageById.get(v.image_id)) || null,
      };
    }),
    createdAt: p.created_at ? iso(p.created_at) : iso(p.updated_at),
    updatedAt: iso(p.updated_at),
  };
}

/** products/delete carries only the numeric id: read its exact digits. */
export function deletedProductIdFromWebhook(rawBody: string): string {
  const body = parseBody(DELETE_TOPIC, rawBody) as { id?: unknown; admin_graphql_api_id?: unknown } | null;
  if (typeof body?.admin_graphql_api_id === "string") return body.admin_graphql_api_id;
  const id = body?.id;
  if (isLosslessNumber(id) && /^\d+$/.test(String(id))) return productGid(String(id));
  throw new WebhookPayloadError(DELETE_TOPIC, "no admin_graphql_api_id and no numeric id");
}
