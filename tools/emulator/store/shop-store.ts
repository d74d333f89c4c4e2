// One emulated shop: its catalog, customers and the change events that become webhooks.
// Products are kept in id order (ids only grow), so ID-sorted paging and bulk export never sort.
import { EventEmitter } from "node:events";
import type {
  EmulatedCollection,
  EmulatedCustomer,
  EmulatedImage,
  EmulatedProduct,
  EmulatedVariant,
  ProductInput,
  VariantInput,
} from "./model";
import { OnlineStoreContent } from "./online-store-content";

export type CatalogEvent =
  | { topic: "products/create" | "products/update"; product: EmulatedProduct }
  | { topic: "products/delete"; productId: number }
  | { topic: "customers/create" | "customers/update"; customer: EmulatedCustomer };

/** Shopify-like numeric ids: 13 digits, increasing, below 2^53 so JavaScript numbers hold them exactly. */
export class IdSequence {
  constructor(private next = 8_100_000_000_001) {}
  take(): number {
    return this.next++;
  }
}

export const nowIso = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");

export function handleize(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/['"’]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "product"
  );
}

const MONEY = /^\d{1,9}(\.\d{1,2})?$/;

/** Shopify writes money with two decimals. */
export function formatMoney(value: string): string {
  if (!MONEY.test(value)) throw new Error(`Invalid price ${JSON.stringify(value)}: use a decimal string like "19.99"`);
  return Number(value).toFixed(2);
}

/** One Shopify Flow trigger the app fired (Admin GraphQL flowTriggerReceive). */
export interface FlowTriggerCall {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export class ShopStore extends EventEmitter {
  readonly products = new Map<number, EmulatedProduct>();
  /** Product ids in ascending order (the ID sort key). */
  productOrder: number[] = [];
  private readonly handles = new Map<string, number>();
  /** variant id → product id, so variant lookups (cart, node, sales) do not scan the catalog. */
  private readonly variantOwners = new Map<number, number>();
  readonly customers = new Map<number, EmulatedCustomer>();
  /** Every accepted flowTriggerReceive call, oldest first: what Flow would have run workflows for. */
  readonly flowTriggers: FlowTriggerCall[] = [];
  private readonly collectionsByType = new Map<string, EmulatedCollection>();
  /** Policies and pages (no webhooks: apps query them). */
  readonly content: OnlineStoreContent;

  constructor(
    readonly domain: string,
    readonly name: string,
    readonly currency: string,
    readonly ids: IdSequence,
  ) {
    super();
    this.content = new OnlineStoreContent(ids);
  }

  get collections(): EmulatedCollection[] {
    return [...this.collectionsByType.values()];
  }

  collectionProducts(collection: EmulatedCollection): EmulatedProduct[] {
    return this.productOrder
      .map((id) => this.products.get(id)!)
      .filter((p) => p.productType === collection.productType);
  }

  productCollections(product: EmulatedProduct): EmulatedCollection[] {
    const collection = this.collectionsByType.get(product.productType);
    return collection ? [collection] : [];
  }

  productByHandle(handle: string): EmulatedProduct | undefined {
    const id = this.handles.get(handle);
    return id === undefined ? undefined : this.products.get(id);
  }

  /** Every variant in product id order (the productVariants connection). */
  *allVariants(): Generator<EmulatedVariant> {
    for (const id of this.productOrder) yield* this.products.get(id)!.variants;
  }

  findVariant(id: number): EmulatedVariant | undefined {
    const productId = this.variantOwners.get(id);
    return productId === undefined ? undefined : this.products.get(productId)?.variants.find((v) => v.id === id);
  }

  private indexVariants(product: EmulatedProduct, previous?: EmulatedProduct): void {
    for (const variant of previous?.variants ?? []) this.variantOwners.delete(variant.id);
    for (const variant of product.variants) this.variantOwners.set(variant.id, product.id);
  }

  createProduct(input: ProductInput, options: { silent?: boolean } = {}): EmulatedProduct {
    const now = nowIso();
    const product = this.buildProduct(this.ids.take(), input, now, now, undefined);
    this.products.set(product.id, product);
    this.productOrder.push(product.id);
    this.handles.set(product.handle, product.id);
    this.indexVariants(product);
    this.ensureCollection(product.productType, now);
    if (!options.silent) this.emit("change", { topic: "products/create", product } satisfies CatalogEvent);
    return product;
  }

  /** Replaces a product's fields (variants matched by SKU or position keep their ids). */
  updateProduct(id: number, changes: Partial<ProductInput>, options: { silent?: boolean } = {}): EmulatedProduct {
    const existing = this.requireProduct(id);
    const merged: ProductInput = { ...this.toInput(existing), ...changes };
    const product = this.buildProduct(id, merged, existing.createdAt, nowIso(), existing);
    this.handles.delete(existing.handle);
    this.products.set(id, product);
    this.handles.set(product.handle, id);
    this.indexVariants(product, existing);
    this.ensureCollection(product.productType, product.updatedAt);
    if (!options.silent) this.emit("change", { topic: "products/update", product } satisfies CatalogEvent);
    return product;
  }

  deleteProduct(id: number, options: { silent?: boolean } = {}): void {
    const existing = this.requireProduct(id);
    this.products.delete(id);
    this.handles.delete(existing.handle);
    for (const variant of existing.variants) this.variantOwners.delete(variant.id);
    const index = binarySearch(this.productOrder, id);
    if (index >= 0) this.productOrder.splice(index, 1);
    if (!options.silent) this.emit("change", { topic: "products/delete", productId: id } satisfies CatalogEvent);
  }

  /** Changes one variant's price / compare-at price / inventory in place (one products/update). */
  updateVariant(
    variantId: number,
    changes: { price?: string; compareAtPrice?: string | null; inventoryQuantity?: number; sku?: string | null },
    options: { silent?: boolean } = {},
  ): EmulatedProduct {
    const variant = this.findVariant(variantId);
    if (!variant) throw new Error(`No variant ${variantId} in ${this.domain}`);
    const product = this.products.get(variant.productId)!;
    const now = nowIso();
    // Everything is checked before anything changes.
    const price = changes.price !== undefined ? formatMoney(changes.price) : variant.price;
    const compareAtPrice =
      changes.compareAtPrice === undefined
        ? variant.compareAtPrice
        : changes.compareAtPrice === null
          ? null
          : formatMoney(changes.compareAtPrice);
    if (changes.inventoryQuantity !== undefined && !Number.isInteger(changes.inventoryQuantity)) {
      throw new Error("inventoryQuantity must be an integer");
    }
    variant.price = price;
    variant.compareAtPrice = compareAtPrice;
    if (changes.sku !== undefined) variant.sku = changes.sku;
    if (changes.inventoryQuantity !== undefined) {
      variant.oldInventoryQuantity = variant.inventoryQuantity;
      variant.inventoryQuantity = changes.inventoryQuantity;
    }
    variant.updatedAt = now;
    product.updatedAt = now;
    if (!options.silent) this.emit("change", { topic: "products/update", product } satisfies CatalogEvent);
    return product;
  }

  /** A sale: decrements inventory of a variant (as an order would). */
  sell(variantId: number, quantity = 1): EmulatedProduct {
    const variant = this.findVariant(variantId);
    if (!variant) throw new Error(`No variant ${variantId} in ${this.domain}`);
    if (!Number.isInteger(quantity) || quantity < 1) throw new Error("quantity must be a positive integer");
    if (
      variant.inventoryManagement === "shopify" &&
      variant.inventoryPolicy === "deny" &&
      variant.inventoryQuantity < quantity
    ) {
      throw new Error(`Variant ${variantId} has only ${variant.inventoryQuantity} in stock`);
    }
    return this.updateVariant(variantId, { inventoryQuantity: variant.inventoryQuantity - quantity });
  }

  createCustomer(input: { firstName: string; lastName: string; email: string; tags?: string[] }): EmulatedCustomer {
    const now = nowIso();
    const customer: EmulatedCustomer = {
      id: this.ids.take(),
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      tags: input.tags ?? [],
      numberOfOrders: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.customers.set(customer.id, customer);
    this.emit("change", { topic: "customers/create", customer } satisfies CatalogEvent);
    return customer;
  }

  requireProduct(id: number): EmulatedProduct {
    const product = this.products.get(id);
    if (!product) throw new Error(`No product ${id} in ${this.domain}`);
    return product;
  }

  toInput(product: EmulatedProduct): ProductInput {
    const hasOnlyDefault = product.options.length === 1 && product.options[0].name === "Title";
    return {
      title: product.title,
      handle: product.handle,
      bodyHtml: product.bodyHtml,
      vendor: product.vendor,
      productType: product.productType,
      tags: product.tags,
      status: product.status,
      published: product.publishedAt !== null,
      seoTitle: product.seoTitle,
      seoDescription: product.seoDescription,
      options: hasOnlyDefault ? undefined : product.options.map((option) => option.name),
      images: product.images.map((image) => ({
        src: image.src,
        alt: image.alt,
        width: image.width,
        height: image.height,
      })),
      metafields: product.metafields.map(({ namespace, key, type, value }) => ({ namespace, key, type, value })),
      variants: product.variants.map((variant) => ({
        optionValues: hasOnlyDefault
          ? undefined
          : [variant.option1, variant.option2, variant.option3].filter((value): value is string => value !== null),
        sku: variant.sku,
        barcode: variant.barcode,
        price: variant.price,
        compareAtPrice: variant.compareAtPrice,
        inventoryQuantity: variant.inventoryQuantity,
        inventoryPolicy: variant.inventoryPolicy,
        inventoryTracked: variant.inventoryManagement === "shopify",
        taxable: variant.taxable,
        grams: variant.grams,
        imageIndex:
          variant.imageId === null ? undefined : product.images.findIndex((image) => image.id === variant.imageId),
      })),
    };
  }

  private uniqueHandle(base: string, ownId: number): string {
    let handle = base;
    for (let n = 1; this.handles.has(handle) && this.handles.get(handle) !== ownId; n++) handle = `${base}-${n}`;
    return handle;
  }

  private ensureCollection(productType: string, now: string): void {
    if (!productType || this.collectionsByType.has(productType)) return;
    this.collectionsByType.set(productType, {
      id: this.ids.take(),
      handle: handleize(productType),
      title: productType,
      bodyHtml: "",
      productType,
      updatedAt: now,
    });
  }

  private buildProduct(
    id: number,
    input: ProductInput,
    createdAt: string,
    updatedAt: string,
    previous: EmulatedProduct | undefined,
  ): EmulatedProduct {
    const title = input.title?.trim();
    if (!title) throw new Error("Title can't be blank");
    if (title.length > 255) throw new Error("Title is too long (maximum is 255 characters)");
    const optionNames = input.options?.length ? input.options : ["Title"];
    if (optionNames.length > 3) throw new Error("A product can have at most 3 options");
    const variantInputs: VariantInput[] = input.variants?.length ? input.variants : [{ price: "0.00" }];
    if (variantInputs.length > 2048) throw new Error("A product can have at most 2048 variants");
    const status = input.status ?? "active";
    const published = input.published ?? status === "active";

    const images: EmulatedImage[] = (input.images ?? []).map((image, index) => {
      const old = previous?.images.find((candidate) => candidate.src === image.src);
      return {
        id: old?.id ?? this.ids.take(),
        mediaId: old?.mediaId ?? this.ids.take(),
        productId: id,
        src: image.src,
        alt: image.alt ?? null,
        width: image.width ?? 1024,
        height: image.height ?? 1024,
        position: index + 1,
        variantIds: [],
        createdAt: old?.createdAt ?? updatedAt,
        updatedAt,
      };
    });

    const seen = new Set<string>();
    const variants = variantInputs.map((variantInput, index): EmulatedVariant => {
      const values = input.options?.length ? (variantInput.optionValues ?? []) : ["Default Title"];
      if (values.length !== optionNames.length || values.some((value) => !value)) {
        throw new Error(`Variant ${index + 1} of "${title}" needs a value for each option (${optionNames.join(", ")})`);
      }
      const key = values.join(" / ");
      if (seen.has(key)) throw new Error(`The variant "${key}" already exists on "${title}"`);
      seen.add(key);
      const old =
        previous?.variants.find((candidate) => variantInput.sku && candidate.sku === variantInput.sku) ??
        previous?.variants.find(
          (candidate) => [candidate.option1, candidate.option2, candidate.option3].filter(Boolean).join(" / ") === key,
        );
      const image = variantInput.imageIndex !== undefined ? images[variantInput.imageIndex] : undefined;
      const variantId = old?.id ?? this.ids.take();
      image?.variantIds.push(variantId);
      const quantity = variantInput.inventoryQuantity ?? 0;
      const fieldsChanged =
        !old ||
        old.price !== formatMoney(variantInput.price) ||
        old.inventoryQuantity !== quantity ||
        old.sku !== (variantInput.sku ?? null) ||
        old.compareAtPrice !== (variantInput.compareAtPrice ? formatMoney(variantInput.compareAtPrice) : null);
      return {
        id: variantId,
        productId: id,
        title: key,
        sku: variantInput.sku ?? null,
        barcode: variantInput.barcode ?? null,
        price: formatMoney(variantInput.price),
        compareAtPrice: variantInput.compareAtPrice ? formatMoney(variantInput.compareAtPrice) : null,
        inventoryQuantity: quantity,
        oldInventoryQuantity: old?.inventoryQuantity ?? quantity,
        inventoryPolicy: variantInput.inventoryPolicy ?? "deny",
        inventoryManagement: variantInput.inventoryTracked === false ? null : "shopify",
        inventoryItemId: old?.inventoryItemId ?? this.ids.take(),
        option1: values[0] ?? null,
        option2: values[1] ?? null,
        option3: values[2] ?? null,
        position: index + 1,
        taxable: variantInput.taxable ?? true,
        grams: variantInput.grams ?? 0,
        imageId: image?.id ?? null,
        createdAt: old?.createdAt ?? updatedAt,
        updatedAt: fieldsChanged ? updatedAt : old.updatedAt,
      };
    });

    const options = optionNames.map((name, index) => {
      const values = [
        ...new Set(variants.map((variant) => [variant.option1, variant.option2, variant.option3][index]!)),
      ];
      const old = previous?.options.find((candidate) => candidate.name === name);
      return { id: old?.id ?? this.ids.take(), productId: id, name, position: index + 1, values };
    });

    const metafields = (input.metafields ?? []).map((metafield) => {
      const old = previous?.metafields.find((m) => m.namespace === metafield.namespace && m.key === metafield.key);
      return {
        id: old?.id ?? this.ids.take(),
        ...metafield,
        createdAt: old?.createdAt ?? updatedAt,
        updatedAt: old && old.value === metafield.value ? old.updatedAt : updatedAt,
      };
    });

    return {
      id,
      title,
      handle: this.uniqueHandle(input.handle ? handleize(input.handle) : handleize(title), id),
      bodyHtml: input.bodyHtml ?? "",
      vendor: input.vendor ?? this.name,
      productType: input.productType ?? "",
      tags: [...new Set((input.tags ?? []).map((tag) => tag.trim()).filter(Boolean))].sort((a, b) =>
        a.localeCompare(b),
      ),
      status,
      publishedAt: published ? (previous?.publishedAt ?? updatedAt) : null,
      templateSuffix: null,
      createdAt,
      updatedAt,
      options,
      variants,
      images,
      metafields,
      seoTitle: input.seoTitle ?? null,
      seoDescription: input.seoDescription ?? null,
    };
  }
}

export function binarySearch(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] === value) return mid;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
