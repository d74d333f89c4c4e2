// Seeds from Shopify's REST products JSON ({"products":[...]}, the shape of the Admin REST API and of
// product webhooks) into ProductInput.
import type { ProductInput } from "../store/model";

interface RestVariant {
  sku?: string | null;
  barcode?: string | null;
  price: string | number;
  compare_at_price?: string | number | null;
  inventory_quantity?: number;
  inventory_policy?: string;
  inventory_management?: string | null;
  taxable?: boolean;
  grams?: number;
  option1?: string | null;
  option2?: string | null;
  option3?: string | null;
  image_id?: number | null;
}

interface RestProduct {
  title: string;
  handle?: string;
  body_html?: string | null;
  vendor?: string;
  product_type?: string;
  tags?: string | string[];
  status?: string;
  published_at?: string | null;
  options?: { name: string }[];
  variants?: RestVariant[];
  images?: { id?: number; src: string; alt?: string | null; width?: number; height?: number }[];
}

const money = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === "" ? null : Number(value).toFixed(2);

export function readProductsJson(text: string): ProductInput[] {
  const parsed = JSON.parse(text) as { products?: RestProduct[] };
  if (!Array.isArray(parsed.products)) throw new Error('Expected {"products": [...]}');
  return parsed.products.map((product, index) => {
    if (!product.title) throw new Error(`products[${index}] has no title`);
    const options = (product.options ?? []).map((option) => option.name);
    const defaultOnly = options.length === 0 || (options.length === 1 && options[0] === "Title");
    const images = product.images ?? [];
    const seen = new Set<string>();
    return {
      title: product.title,
      handle: product.handle,
      bodyHtml: product.body_html ?? "",
      vendor: product.vendor,
      productType: product.product_type,
      tags: Array.isArray(product.tags)
        ? product.tags
        : (product.tags ?? "")
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
      status: (product.status as ProductInput["status"]) ?? "active",
      published: product.published_at !== null,
      options: defaultOnly ? undefined : options,
      images: images.map((image) => ({
        src: image.src,
        alt: image.alt ?? null,
        width: image.width,
        height: image.height,
      })),
      variants: (product.variants ?? [])
        .filter((variant) => {
          // Real exports occasionally repeat an option combination; Shopify would refuse the duplicate.
          const key = [variant.option1, variant.option2, variant.option3].join("/");
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .map((variant) => ({
          optionValues: defaultOnly
            ? undefined
            : [variant.option1, variant.option2, variant.option3].slice(0, options.length).map((v) => v ?? ""),
          sku: variant.sku || null,
          barcode: variant.barcode || null,
          price: money(variant.price) ?? "0.00",
          compareAtPrice: money(variant.compare_at_price),
          inventoryQuantity: variant.inventory_quantity ?? 0,
          inventoryPolicy: variant.inventory_policy === "continue" ? "continue" : "deny",
          inventoryTracked: variant.inventory_management !== null && variant.inventory_management !== undefined,
          taxable: variant.taxable ?? true,
          grams: variant.grams ?? 0,
          imageIndex: variant.image_id ? images.findIndex((image) => image.id === variant.image_id) : undefined,
        })),
    };
  });
}
