// The emulated store's data, kept close to Shopify's REST resources (which the webhooks send verbatim);
// the GraphQL layer (admin/resolvers.ts) presents the same records in the Admin GraphQL shape.

export type ProductStatus = "active" | "draft" | "archived";

export interface EmulatedVariant {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  /** Money as Shopify writes it: a decimal string, e.g. "19.99". */
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number;
  oldInventoryQuantity: number;
  inventoryPolicy: "deny" | "continue";
  /** "shopify" when Shopify tracks inventory, null when it does not. */
  inventoryManagement: "shopify" | null;
  inventoryItemId: number;
  option1: string | null;
  option2: string | null;
  option3: string | null;
  position: number;
  taxable: boolean;
  grams: number;
  imageId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedImage {
  /** REST ProductImage id (also the Image id in GraphQL). */
  id: number;
  /** MediaImage id (the GraphQL media node). */
  mediaId: number;
  productId: number;
  src: string;
  alt: string | null;
  width: number;
  height: number;
  position: number;
  variantIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedOption {
  id: number;
  productId: number;
  name: string;
  position: number;
  values: string[];
}

export interface EmulatedMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedProduct {
  id: number;
  title: string;
  handle: string;
  bodyHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  /** null = not published to the online store. */
  publishedAt: string | null;
  templateSuffix: string | null;
  createdAt: string;
  updatedAt: string;
  options: EmulatedOption[];
  variants: EmulatedVariant[];
  images: EmulatedImage[];
  metafields: EmulatedMetafield[];
  seoTitle: string | null;
  seoDescription: string | null;
}

export interface EmulatedCollection {
  id: number;
  handle: string;
  title: string;
  bodyHtml: string;
  /** Smart collection rule: products whose product type equals this. */
  productType: string;
  updatedAt: string;
}

export interface EmulatedCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  tags: string[];
  numberOfOrders: number;
  createdAt: string;
  updatedAt: string;
}

/** What seeds, the CSV/JSON readers and the control API give to create or replace a product. */
export interface ProductInput {
  title: string;
  handle?: string;
  bodyHtml?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  status?: ProductStatus;
  /** Published to the online store (default true for active products). */
  published?: boolean;
  seoTitle?: string | null;
  seoDescription?: string | null;
  /** Option names in order (max 3); omitted = the single "Title" option with "Default Title". */
  options?: string[];
  variants?: VariantInput[];
  images?: { src: string; alt?: string | null; width?: number; height?: number }[];
  metafields?: { namespace: string; key: string; type: string; value: string }[];
}

export interface VariantInput {
  /** Option values in the order of the product's options. */
  optionValues?: string[];
  sku?: string | null;
  barcode?: string | null;
  price: string;
  compareAtPrice?: string | null;
  inventoryQuantity?: number;
  inventoryPolicy?: "deny" | "continue";
  inventoryTracked?: boolean;
  taxable?: boolean;
  grams?: number;
  /** Index into the product's images. */
  imageIndex?: number;
}
