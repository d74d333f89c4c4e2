// Catalog builders for sync tests and benchmarks: products in the shape Shopify's Admin GraphQL returns them
// (what the bulk export and by-id fetch carry), their JSONL encoding as Shopify writes it, and the
// REST webhook payload Shopify sends for the same product.

export interface GraphqlProductOptions {
  title?: string;
  description?: string;
  price?: string;
  inventory?: number;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  updatedAt?: string;
  variants?: number;
  collections?: { handle: string; title: string }[];
  tags?: string[];
}

export type GraphqlProductRecord = ReturnType<typeof graphqlProduct>;

export function graphqlProduct(n: number, options: GraphqlProductOptions = {}) {
  const variants = Array.from({ length: options.variants ?? 1 }, (_, i) => ({
    id: `gid://shopify/ProductVariant/${n * 1000 + i + 1}`,
    title: i === 0 && (options.variants ?? 1) === 1 ? "Default Title" : `Size ${i + 1}`,
    sku: `SKU-${n}-${i + 1}`,
    barcode: null,
    price: options.price ?? `${(10 + (n % 90)).toFixed(2)}`,
    compareAtPrice: null,
    availableForSale: (options.inventory ?? 5) > 0,
    inventoryQuantity: options.inventory ?? 5,
    selectedOptions: [
      {
        name: (options.variants ?? 1) === 1 ? "Title" : "Size",
        value: i === 0 && (options.variants ?? 1) === 1 ? "Default Title" : `Size ${i + 1}`,
      },
    ],
    media: {
      nodes:
        i > 0
          ? [
              {
                id: `gid://shopify/MediaImage/${n * 1000 + i + 1}`,
                image: { url: `https://cdn.example/${n}-${i + 1}.jpg` },
              },
            ]
          : [],
    },
  }));
  return {
    id: `gid://shopify/Product/${n}`,
    handle: `product-${n}`,
    title: options.title ?? `Trail jacket ${n}`,
    descriptionHtml: `<p>${options.description ?? `A light waterproof jacket, model ${n}, for hiking & commuting.`}</p>`,
    vendor: "Aisle Outdoors",
    productType: "Jacket",
    tags: options.tags ?? ["outdoor", `t${n % 7}`],
    status: options.status ?? "ACTIVE",
    publishedAt: "2025-01-01T00:00:00Z",
    onlineStoreUrl: `https://shop.example/products/product-${n}`,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: options.updatedAt ?? "2025-06-01T00:00:00Z",
    options: [
      { name: variants.length === 1 ? "Title" : "Size", values: variants.map((v) => v.selectedOptions[0].value) },
    ],
    featuredMedia: { image: { url: `https://cdn.example/${n}.jpg`, altText: null } },
    variants: { nodes: variants },
    collections: {
      nodes: (options.collections ?? [{ handle: "outerwear", title: "Outerwear" }]).map((c, i) => ({
        id: `gid://shopify/Collection/${n * 100 + i}`,
        ...c,
      })),
    },
    metafields: {
      nodes: [
        {
          id: `gid://shopify/Metafield/${n}`,
          namespace: "custom",
          key: "material",
          type: "single_line_text_field",
          value: `Nylon ${n}`,
        },
      ],
    },
  };
}

/** Shopify's JSONL escaping: `/` as `\/`, `&<>` as \u0026 \u003c \u003e, a trailing newline. */
export function shopifyJsonLine(record: unknown): string {
  return JSON.stringify(record)
    .replace(/\//g, "\\/")
    .replace(/&/g, "\\u0026")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
}

/** A grouped bulk export of these products, as Shopify flattens nested connections. */
export function bulkJsonl(products: Record<string, unknown>[]): string {
  const lines: string[] = [];
  for (const product of products) {
    const { variants, collections, metafields, ...root } = product as GraphqlProductRecord;
    lines.push(shopifyJsonLine(root));
    for (const { media, ...variant } of variants.nodes) {
      lines.push(shopifyJsonLine({ ...variant, __parentId: root.id }));
      for (const m of media.nodes) lines.push(shopifyJsonLine({ ...m, __parentId: variant.id }));
    }
    for (const c of collections.nodes) lines.push(shopifyJsonLine({ ...c, __parentId: root.id }));
    for (const m of metafields.nodes) lines.push(shopifyJsonLine({ ...m, __parentId: root.id }));
  }
  return lines.join("\n") + "\n";
}

/** Lines as readline gives them (a trailing newline ends the last line; it does not start another). */
export async function* linesOf(text: string): AsyncGenerator<string> {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) yield line;
}

/** The products/create|update REST body Shopify sends for this product (ids as big JSON numbers). */
export function restPayload(product: GraphqlProductRecord): string {
  const legacy = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
  const body = {
    admin_graphql_api_id: product.id,
    id: "@@" + legacy(product.id),
    title: product.title,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    handle: product.handle,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    published_at: product.publishedAt,
    status: product.status.toLowerCase(),
    published_scope: "web",
    tags: product.tags.join(", "),
    variants: product.variants.nodes.map((v, i) => ({
      admin_graphql_api_id: v.id,
      id: "@@" + legacy(v.id),
      product_id: "@@" + legacy(product.id),
      title: v.title,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      sku: v.sku,
      barcode: v.barcode,
      position: i + 1,
      inventory_policy: "deny",
      inventory_quantity: v.inventoryQuantity,
      option1: v.selectedOptions[0]?.value ?? null,
      option2: null,
      option3: null,
      image_id: null,
    })),
    options: product.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
    image: product.featuredMedia ? { src: product.featuredMedia.image.url, alt: null } : null,
    images: [],
    media: [],
  };
  // Ids as bare JSON numbers, exactly as Shopify writes them.
  return JSON.stringify(body).replace(/"@@(\d+)"/g, "$1");
}

export function deletePayload(productId: number | string): string {
  return `{"id":${productId}}`;
}
