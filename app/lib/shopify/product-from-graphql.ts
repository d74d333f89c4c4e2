// Admin GraphQL product (by-id fetch, or a bulk export record put back together) → Product.
import { z } from "zod";
import type { Product, ProductStatus } from "../catalog/product";
import type { AisleProductsByIdQuery } from "./generated/admin.generated";
import { gidPrefix } from "./gid";

const image = z.object({ url: z.string(), altText: z.string().nullish() }).nullish();
const mediaImage = z.object({ image: image.optional() }).passthrough();

export const graphqlVariantSchema = z.object({
  id: z.string().startsWith(gidPrefix("ProductVariant")),
  title: z.string(),
  sku: z.string().nullish(),
  barcode: z.string().nullish(),
  price: z.string(),
  compareAtPrice: z.string().nullish(),
  availableForSale: z.boolean(),
  inventoryQuantity: z.number().int().nullish(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  media: z.object({ nodes: z.array(mediaImage) }).optional(),
});

export const graphqlProductSchema = z.object({
  id: z.string().startsWith(gidPrefix("Product")),
  handle: z.string(),
  title: z.string(),
  descriptionHtml: z.string().nullish(),
  vendor: z.string().nullish(),
  productType: z.string().nullish(),
  tags: z.array(z.string()),
  status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED", "UNLISTED"]),
  publishedAt: z.string().nullish(),
  onlineStoreUrl: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).default([]),
  featuredMedia: mediaImage.nullish(),
  variants: z.object({ nodes: z.array(graphqlVariantSchema) }),
  collections: z.object({ nodes: z.array(z.object({ handle: z.string(), title: z.string() }).passthrough()) }),
  metafields: z
    .object({
      nodes: z.array(z.object({ namespace: z.string(), key: z.string(), type: z.string(), value: z.string() })),
    })
    .optional(),
});

/** A product as PRODUCTS_BY_ID asks for it (codegen); bulk records are put back into the same shape. */
export type AdminProduct = Extract<NonNullable<AisleProductsByIdQuery["nodes"][number]>, { handle: string }>;

// The schema checks Shopify's answers at run time; this line fails to compile when the document and
// the schema part ways (a field the schema requires that the document no longer asks for).
export const acceptsAdminProduct = (product: AdminProduct): z.input<typeof graphqlProductSchema> => product;

/** Throws a ZodError naming the bad field when Shopify's answer is not a product we understand. */
export function productFromGraphql(input: unknown): Product {
  const node = graphqlProductSchema.parse(input);
  const featured = node.featuredMedia?.image ?? null;
  return {
    id: node.id,
    handle: node.handle,
    title: node.title,
    descriptionHtml: node.descriptionHtml ?? "",
    vendor: node.vendor ?? "",
    productType: node.productType ?? "",
    tags: node.tags,
    status: node.status as ProductStatus,
    // publishedAt is the Online Store publication time (null = hidden from the storefront).
    publishedOnline: Boolean(node.publishedAt),
    onlineStoreUrl: node.onlineStoreUrl ?? null,
    options: node.options.map((o) => ({ name: o.name, values: o.values })),
    collections: node.collections.nodes.map((c) => ({ handle: c.handle, title: c.title })),
    featuredImage: featured ? { url: featured.url, altText: featured.altText ?? null } : null,
    metafields: (node.metafields?.nodes ?? []).map((m) => ({
      namespace: m.namespace,
      key: m.key,
      type: m.type,
      value: m.value,
    })),
    variants: node.variants.nodes.map((v) => ({
      id: v.id,
      title: v.title,
      sku: v.sku || null,
      barcode: v.barcode || null,
      price: v.price,
      compareAtPrice: v.compareAtPrice ?? null,
      availableForSale: v.availableForSale,
      inventoryQuantity: v.inventoryQuantity ?? null,
      selectedOptions: v.selectedOptions.map((o) => ({ name: o.name, value: o.value })),
      imageUrl: v.media?.nodes.find((m) => m.image)?.image?.url ?? null,
    })),
    // One spelling for times (REST sends offsets, GraphQL UTC) so equal versions hash equal.
    createdAt: new Date(node.createdAt).toISOString(),
    updatedAt: new Date(node.updatedAt).toISOString(),
  };
}
