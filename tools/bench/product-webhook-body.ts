// A products/create|update body as Shopify sends it (REST shape, numeric ids) for an Aisle
// `Product`: what the benchmarks post to the webhook routes. Built from the app's own Product so
// a bench can change a price or a title and deliver exactly that change.
import type { Product } from "../../app/lib/catalog/product";
import { legacyId } from "../../app/lib/shopify/gid";

/** The REST body of `product`, stamped `updatedAt` (Shopify's ordering key: keep it increasing). */
export function productWebhookBody(product: Product, updatedAt: string): string {
  // Shopify's numeric ids exceed 2^53: marked as strings here, written as bare numbers below.
  const numeric = (gid: string) => `@@${legacyId(gid)}`;
  const body = {
    admin_graphql_api_id: product.id,
    id: numeric(product.id),
    title: product.title,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    handle: product.handle,
    created_at: product.createdAt,
    updated_at: updatedAt,
    published_at: product.publishedOnline ? product.createdAt : null,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    variants: product.variants.map((v, i) => ({
      admin_graphql_api_id: v.id,
      id: numeric(v.id),
      title: v.title,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      sku: v.sku,
      barcode: v.barcode,
      position: i + 1,
      inventory_policy: "deny",
      inventory_quantity: v.inventoryQuantity,
      option1: v.selectedOptions[0]?.value ?? null,
      option2: v.selectedOptions[1]?.value ?? null,
      option3: v.selectedOptions[2]?.value ?? null,
      image_id: null,
    })),
    options: product.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
    image: product.featuredImage ? { src: product.featuredImage.url, alt: product.featuredImage.altText } : null,
    images: [],
  };
  return JSON.stringify(body).replace(/"@@(\d+)"/g, "$1");
}
