// The Ajax Cart API's cart (`/cart.js`, `/cart/add.js`, `/cart/change.js`): amounts in cents, line items
// keyed "<variant id>:<hash of properties>", Shopify's 404/422 "Cart Error" answers.
import { createHash, randomBytes } from "node:crypto";
import type { EmulatedProduct, EmulatedVariant } from "../store/model";
import type { ShopStore } from "../store/shop-store";

export class CartError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CartLine {
  key: string;
  variantId: number;
  quantity: number;
  properties: Record<string, string>;
}

export interface Cart {
  token: string;
  note: string | null;
  /** Cart attributes (`/cart/update.js`): the order's note_attributes at checkout. */
  attributes: Record<string, string>;
  lines: CartLine[];
}

const cents = (money: string) => Math.round(Number(money) * 100);

export class CartStore {
  private readonly carts = new Map<string, Cart>();

  constructor(private readonly store: ShopStore) {}

  has(token: string): boolean {
    return this.carts.has(token);
  }

  create(): string {
    const token = `c1-${randomBytes(16).toString("hex")}`;
    this.carts.set(token, { token, note: null, attributes: {}, lines: [] });
    return token;
  }

  get(token: string): Cart {
    const cart = this.carts.get(token);
    if (!cart) throw new CartError(404, "Cart not found");
    return cart;
  }

  private variant(id: number): { variant: EmulatedVariant; product: EmulatedProduct } {
    const variant = Number.isFinite(id) ? this.store.findVariant(id) : undefined;
    const product = variant && this.store.products.get(variant.productId);
    if (!variant || !product || product.status !== "active" || !product.publishedAt)
      throw new CartError(404, "Cannot find variant");
    return { variant, product };
  }

  add(token: string, items: { id: number; quantity: number; properties?: Record<string, string> }[]): CartLine[] {
    const cart = this.get(token);
    // Validate everything first: a failed add changes nothing.
    const checked = items.map((item) => {
      if (!Number.isInteger(item.quantity) || item.quantity < 1)
        throw new CartError(422, "Quantity must be a positive whole number");
      const { variant, product } = this.variant(item.id);
      const properties = item.properties ?? {};
      const key = `${variant.id}:${createHash("md5").update(JSON.stringify(properties)).digest("hex")}`;
      const inCart = cart.lines.find((line) => line.key === key)?.quantity ?? 0;
      const tracked = variant.inventoryManagement === "shopify" && variant.inventoryPolicy === "deny";
      if (tracked && variant.inventoryQuantity <= 0)
        throw new CartError(422, `The product '${product.title}' is already sold out.`);
      if (tracked && inCart + item.quantity > variant.inventoryQuantity) {
        throw new CartError(422, `You can only add ${variant.inventoryQuantity} of ${product.title} to the cart.`);
      }
      return { key, variantId: variant.id, quantity: item.quantity, properties };
    });
    return checked.map((item) => {
      const existing = cart.lines.find((line) => line.key === item.key);
      if (existing) {
        existing.quantity += item.quantity;
        return { ...existing, quantity: item.quantity };
      }
      cart.lines.unshift(item);
      return item;
    });
  }

  change(token: string, input: { id?: string; line?: number; quantity: number }): void {
    const cart = this.get(token);
    if (!Number.isInteger(input.quantity) || input.quantity < 0)
      throw new CartError(422, "Quantity must be zero or more");
    const index =
      input.line !== undefined
        ? input.line - 1
        : cart.lines.findIndex((line) => line.key === input.id || String(line.variantId) === input.id);
    if (index < 0 || index >= cart.lines.length) throw new CartError(400, "Cart line not found");
    if (input.quantity === 0) cart.lines.splice(index, 1);
    else cart.lines[index].quantity = input.quantity;
  }

  /**
   * `/cart/update.js`: attributes merge into the cart's (an empty value removes one, as on Shopify),
   * `note` replaces the note, `updates` sets quantities by variant id. Checked first: a refused update changes nothing.
   */
  update(
    token: string,
    input: { attributes?: Record<string, unknown>; note?: unknown; updates?: Record<string, unknown> },
  ): void {
    const cart = this.get(token);
    const attributes = Object.entries(input.attributes ?? {}).map(([name, value]) => {
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean" && value !== null)
        throw new CartError(422, `Attribute ${name} must be text`);
      if (name.length > 255) throw new CartError(422, "Attribute names are at most 255 characters");
      return [name, value === null ? "" : String(value)] as const;
    });
    const updates = Object.entries(input.updates ?? {}).map(([id, quantity]) => ({ id, quantity: Number(quantity) }));
    for (const update of updates)
      if (!Number.isInteger(update.quantity) || update.quantity < 0)
        throw new CartError(422, "Quantity must be zero or more");
    for (const [name, value] of attributes) {
      if (value === "") delete cart.attributes[name];
      else cart.attributes[name] = value;
    }
    if (input.note !== undefined) cart.note = input.note === null ? null : String(input.note);
    for (const update of updates) {
      const index = cart.lines.findIndex((line) => String(line.variantId) === update.id || line.key === update.id);
      if (index >= 0) this.change(token, { line: index + 1, quantity: update.quantity });
      else if (update.quantity > 0) this.add(token, [{ id: Number(update.id), quantity: update.quantity }]);
    }
  }

  clear(token: string): void {
    this.get(token).lines = [];
  }

  /** After checkout the shopper gets a new, empty cart (Shopify's behaviour): the old one is gone. */
  remove(token: string): void {
    this.carts.delete(token);
  }
}

export function lineItemJson(line: CartLine, store: ShopStore) {
  const variant = store.findVariant(line.variantId)!;
  const product = store.products.get(variant.productId)!;
  const price = cents(variant.price);
  const image = product.images.find((i) => i.id === variant.imageId) ?? product.images[0];
  const defaultOnly = product.options.length === 1 && product.options[0].name === "Title";
  const values = [variant.option1, variant.option2, variant.option3].filter((v): v is string => v !== null);
  return {
    id: variant.id,
    properties: line.properties,
    quantity: line.quantity,
    variant_id: variant.id,
    key: line.key,
    title: defaultOnly ? product.title : `${product.title} - ${variant.title}`,
    price,
    original_price: price,
    discounted_price: price,
    line_price: price * line.quantity,
    original_line_price: price * line.quantity,
    total_discount: 0,
    discounts: [],
    sku: variant.sku,
    grams: variant.grams,
    vendor: product.vendor,
    taxable: variant.taxable,
    product_id: product.id,
    product_has_only_default_variant: defaultOnly,
    gift_card: false,
    final_price: price,
    final_line_price: price * line.quantity,
    url: `/products/${product.handle}?variant=${variant.id}`,
    featured_image: image
      ? {
          aspect_ratio: image.width / image.height,
          alt: image.alt ?? product.title,
          height: image.height,
          url: image.src,
          width: image.width,
        }
      : null,
    image: image?.src ?? null,
    handle: product.handle,
    requires_shipping: true,
    product_type: product.productType,
    product_title: product.title,
    product_description: product.bodyHtml.replace(/<[^>]*>/g, ""),
    variant_title: defaultOnly ? null : variant.title,
    variant_options: values,
    options_with_values: defaultOnly
      ? []
      : product.options.map((option, index) => ({ name: option.name, value: values[index] })),
  };
}

export function cartJson(cart: Cart, store: ShopStore) {
  const items = cart.lines.map((line) => lineItemJson(line, store));
  const total = items.reduce((sum, item) => sum + item.line_price, 0);
  return {
    token: cart.token,
    note: cart.note,
    attributes: cart.attributes,
    original_total_price: total,
    total_price: total,
    total_discount: 0,
    total_weight: items.reduce((sum, item) => sum + item.grams * item.quantity, 0),
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    items,
    requires_shipping: items.length > 0,
    currency: store.currency,
    items_subtotal_price: total,
    cart_level_discount_applications: [],
  };
}
