// Aisle's one product type. Bulk-export records (GraphQL) and webhook payloads (REST JSON)
// are both mapped to it by app/lib/shopify; everything downstream (documents, hashing,
// indexing, answers) sees only this.

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";

export interface SelectedOption {
  name: string;
  value: string;
}

export interface ProductVariant {
  /** GID, e.g. gid://shopify/ProductVariant/123 */
  id: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  /** Decimal string in the shop's currency, exactly as Shopify sends it ("19.99"). */
  price: string;
  compareAtPrice: string | null;
  /** Shopify's availableForSale (stock, or selling when out of stock is allowed). */
  availableForSale: boolean;
  /** null when inventory is not tracked or not known. */
  inventoryQuantity: number | null;
  selectedOptions: SelectedOption[];
  imageUrl: string | null;
}

export interface ProductOption {
  name: string;
  values: string[];
}

export interface ProductCollection {
  handle: string;
  title: string;
}

export interface ProductMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface Product {
  /** GID, e.g. gid://shopify/Product/123 */
  id: string;
  handle: string;
  title: string;
  /** As Shopify stores it (HTML); documents use its text. */
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  /** Published on the Online Store sales channel (shoppers can see it). */
  publishedOnline: boolean;
  onlineStoreUrl: string | null;
  options: ProductOption[];
  /** Collections the product belongs to; null when the source did not say (REST webhooks). */
  collections: ProductCollection[] | null;
  featuredImage: { url: string; altText: string | null } | null;
  /** Only the metafields the merchant chose to index. */
  metafields: ProductMetafield[];
  variants: ProductVariant[];
  createdAt: string;
  /** ISO time of the last change in Shopify: the newest one wins during sync. */
  updatedAt: string;
}

/** Visible to shoppers, so it belongs in the index. */
export function isSearchable(product: Pick<Product, "status" | "publishedOnline">): boolean {
  return product.status === "ACTIVE" && product.publishedOnline;
}
