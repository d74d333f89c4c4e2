// The emulator's demo catalog (tools/emulator/catalog) as Aisle `Product`s, the way sync would
// see them after import; only products shoppers can see are searchable.
import { isSearchable, type Product } from "../../app/lib/catalog/product";
import { shopifyGid } from "../../app/lib/shopify/gid";
import { demoProducts, type DemoProduct } from "../emulator/catalog/demo-catalog";

export function toProduct(input: DemoProduct, index: number): Product {
  const id = shopifyGid("Product", 7000000 + index);
  const optionNames = input.options ?? [];
  const variants = (input.variants ?? [{ price: "0.00" }]).map((variant, v) => {
    const selectedOptions = optionNames.length
      ? optionNames.map((name, i) => ({ name, value: variant.optionValues?.[i] ?? "" }))
      : [{ name: "Title", value: "Default Title" }];
    const quantity = variant.inventoryQuantity ?? 0;
    return {
      id: shopifyGid("ProductVariant", 8000000 + index * 100 + v),
      title: optionNames.length ? selectedOptions.map((o) => o.value).join(" / ") : "Default Title",
      sku: variant.sku ?? null,
      barcode: variant.barcode ?? null,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice ?? null,
      availableForSale: quantity > 0 || variant.inventoryPolicy === "continue",
      inventoryQuantity: quantity,
      selectedOptions,
      imageUrl: variant.imageIndex !== undefined ? (input.images?.[variant.imageIndex]?.src ?? null) : null,
    };
  });
  return {
    id,
    handle: input.handle,
    title: input.title,
    descriptionHtml: input.bodyHtml ?? "",
    vendor: input.vendor ?? "",
    productType: input.productType ?? "",
    tags: input.tags ?? [],
    status: (input.status ?? "active").toUpperCase() as Product["status"],
    publishedOnline: input.published ?? true,
    onlineStoreUrl: `https://trailhead.example/products/${input.handle}`,
    options: optionNames.length
      ? optionNames.map((name, i) => ({
          name,
          values: [...new Set((input.variants ?? []).map((v) => v.optionValues?.[i] ?? ""))],
        }))
      : [{ name: "Title", values: ["Default Title"] }],
    collections: [],
    featuredImage: input.images?.[0] ? { url: input.images[0].src, altText: input.images[0].alt ?? null } : null,
    metafields: [],
    variants,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
  };
}

export function demoCatalog(): Product[] {
  return demoProducts()
    .map(toProduct)
    .filter((product) => isSearchable(product));
}
