// Presents the store's records in the Admin GraphQL shape of the real 2026-07 schema.
import { GraphQLError } from "graphql";
import type { BulkOperationRecord } from "./bulk-operations";
import { badRequest, connection, type ConnectionArgs, type ConnectionContext } from "./connection";
import { compileSearch } from "./search-query";
import type {
  EmulatedCollection,
  EmulatedCustomer,
  EmulatedImage,
  EmulatedMetafield,
  EmulatedProduct,
  EmulatedVariant,
} from "../store/model";
import type { ShopStore } from "../store/shop-store";
import { POLICY_HANDLES, type EmulatedPage, type EmulatedPolicy } from "../store/online-store-content";
import { createdAtCursorValue, topicEnum, type ShopWebhookSubscription } from "../webhooks/subscriptions";

export interface AdminContext extends ConnectionContext {
  shop: ShopStore;
  scopes: ReadonlySet<string>;
  bulkOperations: {
    find(id: number): BulkOperationRecord | undefined;
    list(): BulkOperationRecord[];
    run(query: string, groupObjects: boolean): { operation?: BulkOperationRecord; userErrors: unknown[] };
    cancel(id: number): { operation?: BulkOperationRecord; userErrors: unknown[] };
  };
  /** The app's installation in this shop: its id and shop-scoped webhook subscriptions. */
  installation?: { id: number; webhookSubscriptions: readonly ShopWebhookSubscription[] };
  /** Bulk execution: the root connection serves only this slice of its items. */
  bulkWindow?: { start: number; end: number };
  /** Bulk execution: the root connection's filtered items, computed once per operation. */
  bulkRootCache?: Map<string, unknown[]>;
}

/** Flow refuses trigger payloads over 50 KB. */
const FLOW_PAYLOAD_MAX_BYTES = 50_000;

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)(\?.*)?$/.exec(value);
  return match ? { type: match[1], id: Number(match[2]) } : null;
}

function requireGid(value: string, type?: string): number | null {
  const parsed = parseGid(value);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  return type && parsed.type !== type ? null : parsed.id;
}

function requireScope(context: AdminContext, scope: string, field: string): void {
  const writeScope = scope.replace(/^read_/, "write_");
  if (context.scopes.has(scope) || context.scopes.has(writeScope)) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** Shopify's Decimal scalar drops trailing zeros but keeps one decimal: "20.00" → "20.0". */
export function decimal(amount: string): string {
  const [whole, fraction = ""] = amount.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${whole}.${trimmed || "0"}`;
}

const money = (amount: string, currencyCode: string) => ({ amount: decimal(amount), currencyCode });

export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/h\d)\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

const byId = <T extends { id: number }>(item: T) => ({ id: item.id, value: item.id });

function metafieldsOf(owner: { metafields: EmulatedMetafield[] }) {
  return {
    metafield: ({ namespace, key }: { namespace?: string; key: string }) => {
      const found = owner.metafields.find((m) => m.key === key && (namespace ? m.namespace === namespace : true));
      return found ? metafieldView(found) : null;
    },
    metafields: (args: ConnectionArgs & { namespace?: string; keys?: string[] }, context: AdminContext) =>
      connection(
        owner.metafields.filter(
          (m) =>
            (!args.namespace || m.namespace === args.namespace) &&
            (!args.keys || args.keys.includes(`${m.namespace}.${m.key}`)),
        ),
        args,
        context,
        byId,
        metafieldView,
      ),
  };
}

export function metafieldView(m: EmulatedMetafield) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    legacyResourceId: String(m.id),
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

function imageView(image: EmulatedImage) {
  return {
    __typename: "Image",
    id: gid("ProductImage", image.id),
    url: image.src,
    altText: image.alt,
    width: image.width,
    height: image.height,
    metafield: () => null,
    metafields: (args: ConnectionArgs, context: AdminContext) => connection([], args, context, byId, metafieldView),
  };
}

function mediaView(image: EmulatedImage) {
  return {
    __typename: "MediaImage",
    id: gid("MediaImage", image.mediaId),
    alt: image.alt,
    mediaContentType: "IMAGE",
    status: "READY",
    createdAt: image.createdAt,
    updatedAt: image.updatedAt,
    image: imageView(image),
    preview: { image: imageView(image), status: "READY" },
  };
}

export function variantView(variant: EmulatedVariant, shop: ShopStore) {
  const product = () => shop.products.get(variant.productId)!;
  const options = () => product().options;
  const values = [variant.option1, variant.option2, variant.option3];
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    legacyResourceId: String(variant.id),
    title: variant.title,
    displayName: () => `${product().title} - ${variant.title}`,
    sku: variant.sku,
    barcode: variant.barcode,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    inventoryQuantity: variant.inventoryQuantity,
    inventoryPolicy: variant.inventoryPolicy.toUpperCase(),
    availableForSale: () =>
      product().status === "active" &&
      (variant.inventoryManagement === null || variant.inventoryPolicy === "continue" || variant.inventoryQuantity > 0),
    position: variant.position,
    taxable: variant.taxable,
    createdAt: variant.createdAt,
    updatedAt: variant.updatedAt,
    selectedOptions: () => options().map((option, index) => ({ name: option.name, value: values[index] })),
    product: () => productView(product(), shop),
    image: () => {
      const image = product().images.find((candidate) => candidate.id === variant.imageId);
      return image ? imageView(image) : null;
    },
    media: (args: ConnectionArgs, context: AdminContext) =>
      connection(
        product().images.filter((image) => image.id === variant.imageId),
        args,
        context,
        (image) => ({ id: image.mediaId, value: image.position }),
        mediaView,
      ),
    metafield: () => null,
    metafields: (args: ConnectionArgs, context: AdminContext) => connection([], args, context, byId, metafieldView),
  };
}

function collectionView(collection: EmulatedCollection, shop: ShopStore) {
  return {
    __typename: "Collection",
    id: gid("Collection", collection.id),
    legacyResourceId: String(collection.id),
    handle: collection.handle,
    title: collection.title,
    descriptionHtml: collection.bodyHtml,
    description: () => htmlToText(collection.bodyHtml),
    updatedAt: collection.updatedAt,
    productsCount: () => ({ count: shop.collectionProducts(collection).length, precision: "EXACT" }),
    products: (args: ConnectionArgs, context: AdminContext) =>
      connection(shop.collectionProducts(collection), args, context, byId, (p) => productView(p, shop)),
    ...metafieldsOf({ metafields: [] }),
  };
}

function priceRange(values: string[], currency: string) {
  if (!values.length) return { min: money("0.00", currency), max: money("0.00", currency) };
  const numbers = values.map(Number);
  const min = values[numbers.indexOf(Math.min(...numbers))];
  const max = values[numbers.indexOf(Math.max(...numbers))];
  return { min: money(min, currency), max: money(max, currency) };
}

export function productView(p: EmulatedProduct, shop: ShopStore) {
  const tracked = p.variants.some((variant) => variant.inventoryManagement === "shopify");
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    legacyResourceId: String(p.id),
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.bodyHtml,
    description: ({ truncateAt }: { truncateAt?: number }) => {
      const text = htmlToText(p.bodyHtml);
      return truncateAt && text.length > truncateAt ? `${text.slice(0, truncateAt - 3)}...` : text;
    },
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    status: p.status.toUpperCase(),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    publishedAt: p.publishedAt,
    templateSuffix: p.templateSuffix,
    isGiftCard: false,
    onlineStoreUrl: p.publishedAt && p.status === "active" ? `https://${shop.domain}/products/${p.handle}` : null,
    totalInventory: p.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
    tracksInventory: tracked,
    hasOnlyDefaultVariant: p.options.length === 1 && p.options[0].name === "Title" && p.variants.length === 1,
    hasOutOfStockVariants: p.variants.some(
      (variant) => variant.inventoryManagement === "shopify" && variant.inventoryQuantity <= 0,
    ),
    seo: { title: p.seoTitle, description: p.seoDescription },
    options: ({ first }: { first?: number }) =>
      p.options.slice(0, first ?? p.options.length).map((option) => ({
        id: gid("ProductOption", option.id),
        name: option.name,
        position: option.position,
        values: option.values,
        optionValues: option.values.map((value, index) => ({
          id: gid("ProductOptionValue", option.id * 100 + index),
          name: value,
          hasVariants: true,
        })),
      })),
    variants: (args: ConnectionArgs, context: AdminContext) =>
      connection(
        p.variants,
        args,
        context,
        (v) => ({ id: v.id, value: v.position }),
        (v) => variantView(v, shop),
      ),
    variantsCount: { count: p.variants.length, precision: "EXACT" },
    media: (args: ConnectionArgs, context: AdminContext) =>
      connection(p.images, args, context, (image) => ({ id: image.mediaId, value: image.position }), mediaView),
    images: (args: ConnectionArgs, context: AdminContext) =>
      connection(p.images, args, context, (image) => ({ id: image.id, value: image.position }), imageView),
    featuredMedia: () => (p.images[0] ? mediaView(p.images[0]) : null),
    featuredImage: () => (p.images[0] ? imageView(p.images[0]) : null),
    collections: (args: ConnectionArgs, context: AdminContext) =>
      connection(shop.productCollections(p), args, context, byId, (c) => collectionView(c, shop)),
    priceRangeV2: () => {
      const range = priceRange(
        p.variants.map((variant) => variant.price),
        shop.currency,
      );
      return { minVariantPrice: range.min, maxVariantPrice: range.max };
    },
    compareAtPriceRange: () => {
      const values = p.variants.map((variant) => variant.compareAtPrice).filter((v): v is string => v !== null);
      if (!values.length) return null;
      const range = priceRange(values, shop.currency);
      return { minVariantCompareAtPrice: range.min, maxVariantCompareAtPrice: range.max };
    },
    ...metafieldsOf(p),
  };
}

function customerView(customer: EmulatedCustomer) {
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`.trim(),
    email: customer.email,
    tags: customer.tags,
    numberOfOrders: String(customer.numberOfOrders),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    ...metafieldsOf({ metafields: [] }),
  };
}

export function bulkOperationView(op: BulkOperationRecord) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    type: op.type,
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.url,
    partialDataUrl: op.partialDataUrl,
    query: op.query,
  };
}

const productFields = (p: EmulatedProduct, field: string): readonly (string | number | null)[] | undefined => {
  switch (field) {
    case "id":
      return [p.id];
    case "title":
      return [p.title];
    case "handle":
      return [p.handle];
    case "tag":
      return p.tags;
    case "tag_not":
      return p.tags.length ? [] : [""];
    case "status":
      return [p.status];
    case "vendor":
      return [p.vendor];
    case "product_type":
      return [p.productType];
    case "sku":
      return p.variants.map((variant) => variant.sku);
    case "barcode":
      return p.variants.map((variant) => variant.barcode);
    case "created_at":
      return [p.createdAt];
    case "updated_at":
      return [p.updatedAt];
    case "published_status":
      return [p.publishedAt ? "published" : "unpublished"];
    case "inventory_total":
      return [p.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0)];
    default:
      return undefined;
  }
};
const productText = (p: EmulatedProduct) => `${p.title} ${p.vendor} ${p.productType} ${p.tags.join(" ")}`;

const variantFields = (v: EmulatedVariant, field: string): readonly (string | number | null)[] | undefined => {
  switch (field) {
    case "id":
      return [v.id];
    case "sku":
      return [v.sku];
    case "barcode":
      return [v.barcode];
    case "product_id":
      return [v.productId];
    case "title":
      return [v.title];
    case "updated_at":
      return [v.updatedAt];
    case "inventory_quantity":
      return [v.inventoryQuantity];
    default:
      return undefined;
  }
};

const productSortValue: Record<string, (p: EmulatedProduct) => string | number> = {
  TITLE: (p) => p.title.toLowerCase(),
  UPDATED_AT: (p) => p.updatedAt,
  CREATED_AT: (p) => p.createdAt,
  VENDOR: (p) => p.vendor.toLowerCase(),
  PRODUCT_TYPE: (p) => p.productType.toLowerCase(),
  INVENTORY_TOTAL: (p) => p.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
  PUBLISHED_AT: (p) => p.publishedAt ?? "",
};

/** Products matching `query` in `sortKey` order (ID order needs no sort: the store keeps it). */
export function selectProducts(shop: ShopStore, query: string | null | undefined, sortKey = "ID"): EmulatedProduct[] {
  const matches = compileSearch(query, productFields, productText);
  const items: EmulatedProduct[] = [];
  for (const id of shop.productOrder) {
    const product = shop.products.get(id)!;
    if (matches(product)) items.push(product);
  }
  const value = productSortValue[sortKey];
  if (value) {
    items.sort((a, b) => {
      const left = value(a);
      const right = value(b);
      return left < right ? -1 : left > right ? 1 : a.id - b.id;
    });
  }
  return items;
}

function rootItems<T>(context: AdminContext, key: string, compute: () => T[]): T[] {
  if (!context.bulk) return compute();
  context.bulkRootCache ??= new Map();
  let items = context.bulkRootCache.get(key) as T[] | undefined;
  if (!items) {
    items = compute();
    context.bulkRootCache.set(key, items);
  }
  return context.bulkWindow ? items.slice(context.bulkWindow.start, context.bulkWindow.end) : items;
}

function nodeById(id: string, context: AdminContext): unknown {
  const parsed = parseGid(id);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  const { shop } = context;
  switch (parsed.type) {
    case "Product": {
      requireScope(context, "read_products", "product");
      const product = shop.products.get(parsed.id);
      return product ? productView(product, shop) : null;
    }
    case "ProductVariant": {
      requireScope(context, "read_products", "productVariant");
      const variant = shop.findVariant(parsed.id);
      return variant ? variantView(variant, shop) : null;
    }
    case "Collection": {
      const collection = shop.collections.find((candidate) => candidate.id === parsed.id);
      return collection ? collectionView(collection, shop) : null;
    }
    case "Customer": {
      requireScope(context, "read_customers", "customer");
      const customer = shop.customers.get(parsed.id);
      return customer ? customerView(customer) : null;
    }
    case "Page": {
      requireScope(context, "read_online_store_pages", "page");
      const page = shop.content.pages.get(parsed.id);
      return page ? pageView(page) : null;
    }
    case "BulkOperation": {
      const op = context.bulkOperations.find(parsed.id);
      return op ? bulkOperationView(op) : null;
    }
    default:
      return null;
  }
}

function policyView(policy: EmulatedPolicy, shop: ShopStore) {
  return {
    __typename: "ShopPolicy",
    id: gid("ShopPolicy", policy.id),
    type: policy.type,
    title: policy.title,
    body: policy.bodyHtml,
    url: `https://${shop.domain}/policies/${POLICY_HANDLES[policy.type]}`,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
  };
}

/** Shopify's bodySummary: the body's text, cut to about 150 characters. */
const SUMMARY_CHARS = 150;

function pageView(page: EmulatedPage) {
  const text = htmlToText(page.bodyHtml);
  return {
    __typename: "Page",
    id: gid("Page", page.id),
    handle: page.handle,
    title: page.title,
    body: page.bodyHtml,
    bodySummary: text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 3)}...` : text,
    isPublished: page.publishedAt !== null,
    publishedAt: page.publishedAt,
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
    ...metafieldsOf({ metafields: [] }),
  };
}

type Args = Record<string, unknown> & ConnectionArgs;
type Resolver = (source: unknown, args: Args, context: AdminContext) => unknown;

/** Root resolvers; every other field is read from the view objects above by graphql-js. */
function webhookSubscriptionView(subscription: ShopWebhookSubscription) {
  return {
    id: gid("WebhookSubscription", subscription.id),
    topic: topicEnum(subscription.topic),
    uri: subscription.uri,
    format: subscription.format,
    filter: subscription.filter,
    includeFields: subscription.includeFields,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

export const rootResolvers: Record<"QueryRoot" | "Mutation", Record<string, Resolver>> = {
  QueryRoot: {
    shop: (_source, _args, { shop }) => ({
      __typename: "Shop",
      id: gid("Shop", 1),
      name: shop.name,
      email: `owner@${shop.domain}`,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currency,
      description: null,
      ianaTimezone: "Etc/UTC",
      url: `https://${shop.domain}`,
      primaryDomain: { id: gid("Domain", 1), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
      shopPolicies: (_args: unknown, context: AdminContext) => {
        requireScope(context, "read_legal_policies", "shopPolicies");
        return shop.content.policies.map((policy) => policyView(policy, shop));
      },
      ...metafieldsOf({ metafields: [] }),
    }),
    node: (_source, args, context) => nodeById(args.id as string, context),
    nodes: (_source, args, context) => {
      const ids = args.ids as string[];
      if (ids.length > 250)
        throw badRequest(`The input array size of ${ids.length} is greater than the maximum allowed of 250.`);
      return ids.map((id) => nodeById(id, context));
    },
    product: (_source, args, context) => {
      requireScope(context, "read_products", "product");
      const id = requireGid(args.id as string, "Product");
      const product = id === null ? undefined : context.shop.products.get(id);
      return product ? productView(product, context.shop) : null;
    },
    productByHandle: (_source, args, context) => {
      requireScope(context, "read_products", "productByHandle");
      const product = context.shop.productByHandle(args.handle as string);
      return product ? productView(product, context.shop) : null;
    },
    productByIdentifier: (_source, args, context) => {
      requireScope(context, "read_products", "productByIdentifier");
      const identifier = args.identifier as { id?: string; handle?: string };
      const product = identifier.id
        ? context.shop.products.get(requireGid(identifier.id, "Product") ?? -1)
        : identifier.handle
          ? context.shop.productByHandle(identifier.handle)
          : undefined;
      return product ? productView(product, context.shop) : null;
    },
    products: (_source, args, context) => {
      requireScope(context, "read_products", "products");
      const sortKey = (args.sortKey as string) ?? "ID";
      const items = rootItems(context, `products:${args.query}:${sortKey}`, () =>
        selectProducts(context.shop, args.query as string, sortKey),
      );
      const value = productSortValue[sortKey];
      return connection(
        items,
        args,
        context,
        (p) => ({ id: p.id, value: value ? value(p) : p.id }),
        (p) => productView(p, context.shop),
      );
    },
    productsCount: (_source, args, context) => {
      requireScope(context, "read_products", "productsCount");
      const limit = (args.limit as number | null) ?? null;
      const count = selectProducts(context.shop, args.query as string).length;
      return limit !== null && count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
    },
    productVariant: (_source, args, context) => {
      requireScope(context, "read_products", "productVariant");
      const id = requireGid(args.id as string, "ProductVariant");
      const variant = id === null ? undefined : context.shop.findVariant(id);
      return variant ? variantView(variant, context.shop) : null;
    },
    productVariants: (_source, args, context) => {
      requireScope(context, "read_products", "productVariants");
      const items = rootItems(context, `variants:${args.query}`, () => {
        const matches = compileSearch(args.query as string, variantFields, (v) => `${v.title} ${v.sku ?? ""}`);
        return [...context.shop.allVariants()].filter(matches);
      });
      return connection(items, args, context, byId, (v) => variantView(v, context.shop));
    },
    page: (_source, args, context) => nodeById(args.id as string, context),
    pages: (_source, args, context) => {
      requireScope(context, "read_online_store_pages", "pages");
      const matches = compileSearch(
        args.query as string,
        (p: EmulatedPage, field) =>
          field === "title"
            ? [p.title]
            : field === "handle"
              ? [p.handle]
              : field === "published_status"
                ? [p.publishedAt ? "published" : "unpublished"]
                : undefined,
        (p) => p.title,
      );
      const items = [...context.shop.content.pages.values()].filter(matches);
      return connection(items, args, context, byId, pageView);
    },
    collection: (_source, args, context) => nodeById(args.id as string, context),
    collections: (_source, args, context) => {
      requireScope(context, "read_products", "collections");
      const matches = compileSearch(
        args.query as string,
        (c: EmulatedCollection, field) => (field === "title" ? [c.title] : field === "handle" ? [c.handle] : undefined),
        (c) => c.title,
      );
      const items = rootItems(context, `collections:${args.query}`, () => context.shop.collections.filter(matches));
      return connection(items, args, context, byId, (c) => collectionView(c, context.shop));
    },
    customer: (_source, args, context) => {
      requireScope(context, "read_customers", "customer");
      const id = requireGid(args.id as string, "Customer");
      const customer = id === null ? undefined : context.shop.customers.get(id);
      return customer ? customerView(customer) : null;
    },
    bulkOperation: (_source, args, context) => {
      const id = requireGid(args.id as string, "BulkOperation");
      const op = id === null ? undefined : context.bulkOperations.find(id);
      return op ? bulkOperationView(op) : null;
    },
    currentBulkOperation: (_source, args, context) => {
      const type = (args.type as string) ?? "QUERY";
      const op = context.bulkOperations
        .list()
        .filter((candidate) => candidate.type === type)
        .at(-1);
      return op ? bulkOperationView(op) : null;
    },
    currentAppInstallation: (_source, _args, context) => ({
      id: gid("AppInstallation", context.installation?.id ?? 0),
      accessScopes: [...context.scopes].sort().map((handle) => ({ handle, description: handle.replace("_", " ") })),
    }),
    webhookSubscriptions: (_source, args, context) => {
      const byId = args.sortKey === "ID";
      const matches = compileSearch(
        args.query as string,
        (subscription: ShopWebhookSubscription, field) =>
          field === "created_at"
            ? [subscription.createdAt]
            : field === "updated_at"
              ? [subscription.updatedAt]
              : field === "id"
                ? [subscription.id]
                : undefined,
        () => "",
      );
      const topics = args.topics as string[] | null | undefined;
      const items = [...(context.installation?.webhookSubscriptions ?? [])]
        .filter(matches)
        .filter((subscription) => !topics?.length || topics.includes(topicEnum(subscription.topic)))
        .filter((subscription) => !args.uri || subscription.uri === args.uri)
        .filter((subscription) => !args.format || subscription.format === args.format)
        .sort((a, b) => (byId ? a.id - b.id : a.createdAt.localeCompare(b.createdAt) || a.id - b.id));
      return connection(
        items,
        args,
        context,
        (subscription) => ({
          id: subscription.id,
          value: byId ? String(subscription.id) : createdAtCursorValue(subscription.createdAt),
        }),
        webhookSubscriptionView,
      );
    },
    bulkOperations: (_source, args, context) => {
      const matches = compileSearch(
        args.query as string,
        (op: BulkOperationRecord, field) =>
          field === "status"
            ? [op.status]
            : field === "type"
              ? [op.type]
              : field === "created_at"
                ? [op.createdAt]
                : field === "id"
                  ? [op.id]
                  : undefined,
        () => "",
      );
      const items = context.bulkOperations.list().filter(matches);
      return connection(items, args, context, (op) => ({ id: op.id, value: op.createdAt }), bulkOperationView);
    },
  },
  Mutation: {
    bulkOperationRunQuery: (_source, args, context) => {
      const { operation, userErrors } = context.bulkOperations.run(args.query as string, Boolean(args.groupObjects));
      return { bulkOperation: operation ? bulkOperationView(operation) : null, userErrors };
    },
    bulkOperationCancel: (_source, args, context) => {
      const id = requireGid(args.id as string, "BulkOperation");
      const { operation, userErrors } = context.bulkOperations.cancel(id ?? -1);
      return { bulkOperation: operation ? bulkOperationView(operation) : null, userErrors };
    },
    // Flow accepts the payload and runs the merchant's workflows later; the emulator records the call.
    flowTriggerReceive: (_source, args, context) => {
      const { handle, payload } = args as { handle?: string | null; payload?: unknown };
      if (!handle) return { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] };
      if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
        return { userErrors: [{ field: ["payload"], message: "Payload must be a JSON object" }] };
      }
      if (JSON.stringify(payload).length > FLOW_PAYLOAD_MAX_BYTES) {
        return { userErrors: [{ field: ["payload"], message: "Payload is too large (over 50 KB)" }] };
      }
      context.shop.flowTriggers.push({
        handle,
        payload: payload as Record<string, unknown>,
        receivedAt: new Date().toISOString(),
      });
      return { userErrors: [] };
    },
  },
};
