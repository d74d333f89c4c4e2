// The emulator's demo catalog (tools/emulator/catalog), or a merchant's catalog file, as Aisle
// `Product`s, the way sync would see them after import; only products shoppers can see are searchable.
import { isSearchable, type Product } from "../../app/lib/catalog/product";
import { shopifyGid } from "../../app/lib/shopify/gid";
import { readCatalogFile, type CatalogFileReport } from "../emulator/catalog/catalog-file";
import { demoProducts } from "../emulator/catalog/demo-catalog";
import type { ProductInput } from "../emulator/store/model";

export function toProduct(input: ProductInput, index: number, storeUrl = "https://trailhead.example"): Product {
  const handle = input.handle ?? `product-${index + 1}`;
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
    handle,
    title: input.title,
    descriptionHtml: input.bodyHtml ?? "",
    vendor: input.vendor ?? "",
    productType: input.productType ?? "",
    tags: input.tags ?? [],
    status: (input.status ?? "active").toUpperCase() as Product["status"],
    publishedOnline: input.published ?? true,
    onlineStoreUrl: `${storeUrl}/products/${handle}`,
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
    .map((input, index) => toProduct(input, index))
    .filter((product) => isSearchable(product));
}

/** A catalog file (Shopify CSV / products JSON), read as `npm run demo -- --catalog` reads it. */
export function catalogFileProducts(file: string): { products: Product[]; report: CatalogFileReport } {
  const { products, report } = readCatalogFile(file);
  return {
    products: products.map((input, index) => toProduct(input, index, "https://shop.example")).filter(isSearchable),
    report,
  };
}
