// REST-format webhook bodies with the keys (and key order) of Shopify's documented 2026-07 samples.
import { gid } from "../admin/resolvers";
import type { BulkOperationRecord } from "../admin/bulk-operations";
import type { EmulatedCustomer, EmulatedProduct } from "../store/model";
import type { ShopStore } from "../store/shop-store";

/** REST timestamps carry the shop's offset (the emulated shops run on UTC). */
export const restTime = (iso: string | null): string | null => (iso ? iso.replace(/(\.\d+)?Z$/, "+00:00") : null);

export function productPayload(p: EmulatedProduct): Record<string, unknown> {
  const variants = p.variants.map((v) => ({
    admin_graphql_api_id: gid("ProductVariant", v.id),
    barcode: v.barcode,
    compare_at_price: v.compareAtPrice,
    created_at: restTime(v.createdAt),
    id: v.id,
    inventory_policy: v.inventoryPolicy,
    position: v.position,
    price: v.price,
    product_id: p.id,
    sku: v.sku,
    taxable: v.taxable,
    title: v.title,
    updated_at: restTime(v.updatedAt),
    option1: v.option1,
    option2: v.option2,
    option3: v.option3,
    image_id: v.imageId,
    inventory_item_id: v.inventoryItemId,
    inventory_quantity: v.inventoryQuantity,
    old_inventory_quantity: v.oldInventoryQuantity,
  }));
  const images = p.images.map((image) => ({
    id: image.id,
    alt: image.alt,
    position: image.position,
    product_id: p.id,
    created_at: restTime(image.createdAt),
    updated_at: restTime(image.updatedAt),
    admin_graphql_api_id: gid("ProductImage", image.id),
    width: image.width,
    height: image.height,
    src: image.src,
    variant_ids: image.variantIds,
  }));
  const media = p.images.map((image) => ({
    id: image.mediaId,
    product_id: p.id,
    position: image.position,
    created_at: restTime(image.createdAt),
    updated_at: restTime(image.updatedAt),
    alt: image.alt,
    status: "READY",
    media_content_type: "IMAGE",
    preview_image: { width: image.width, height: image.height, src: image.src, status: "READY" },
    variant_ids: image.variantIds,
    admin_graphql_api_id: gid("MediaImage", image.mediaId),
  }));
  return {
    admin_graphql_api_id: gid("Product", p.id),
    body_html: p.bodyHtml,
    created_at: restTime(p.createdAt),
    handle: p.handle,
    id: p.id,
    product_type: p.productType,
    published_at: restTime(p.publishedAt),
    template_suffix: p.templateSuffix,
    title: p.title,
    updated_at: restTime(p.updatedAt),
    vendor: p.vendor,
    status: p.status,
    published_scope: "web",
    tags: p.tags.join(", "),
    variants,
    options: p.options.map((option) => ({
      name: option.name,
      id: option.id,
      product_id: p.id,
      position: option.position,
      values: option.values,
    })),
    images,
    image: images[0] ?? null,
    media,
    variant_gids: [...p.variants]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((v) => ({
        admin_graphql_api_id: gid("ProductVariant", v.id),
        updated_at: `${v.updatedAt.replace("Z", "")}.000Z`,
      })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

export const productDeletePayload = (id: number) => ({ id });

export function customerPayload(c: EmulatedCustomer, currency: string): Record<string, unknown> {
  return {
    id: c.id,
    created_at: restTime(c.createdAt),
    updated_at: restTime(c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: c.email,
    phone: null,
    currency,
    addresses: [],
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: null,
  };
}

export function bulkOperationFinishPayload(op: BulkOperationRecord): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid("BulkOperation", op.id),
    completed_at: restTime(op.completedAt),
    created_at: restTime(op.createdAt),
    error_code: op.errorCode?.toLowerCase() ?? null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}

export function shopPayload(shop: ShopStore): Record<string, unknown> {
  return {
    id: 1,
    name: shop.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    province: null,
    country: "US",
    address1: null,
    zip: null,
    city: null,
    source: null,
    phone: null,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: null,
    updated_at: null,
    country_code: "US",
    country_name: "United States",
    currency: shop.currency,
    customer_email: `owner@${shop.domain}`,
    timezone: "(GMT+00:00) UTC",
    iana_timezone: "Etc/UTC",
    shop_owner: "Demo Owner",
    money_format: "${{amount}}",
    money_with_currency_format: `\${{amount}} ${shop.currency}`,
    weight_unit: "kg",
    province_code: null,
    taxes_included: null,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: null,
    plan_display_name: "Development",
    plan_name: "partner_test",
    has_discounts: false,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "${{amount}}",
    money_with_currency_in_emails_format: `\${{amount}} ${shop.currency}`,
    eligible_for_payments: false,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: false,
    primary_location_id: 1,
    checkout_api_supported: false,
    multi_location_enabled: false,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currency],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

export function shopRedactPayload(shop: ShopStore): Record<string, unknown> {
  return { shop_id: 1, shop_domain: shop.domain };
}

export function customerDataRequestPayload(
  shop: ShopStore,
  c: EmulatedCustomer,
  requestId: number,
): Record<string, unknown> {
  return {
    shop_id: 1,
    shop_domain: shop.domain,
    customer: { id: c.id, email: c.email, phone: null },
    orders_requested: [],
    data_request: { id: requestId },
  };
}

export function customerRedactPayload(shop: ShopStore, c: EmulatedCustomer): Record<string, unknown> {
  return {
    shop_id: 1,
    shop_domain: shop.domain,
    customer: { id: c.id, email: c.email, phone: null },
    orders_to_redact: [],
  };
}

export const customerDeletePayload = (c: EmulatedCustomer) => ({
  id: c.id,
  tax_exemptions: [],
  admin_graphql_api_id: gid("Customer", c.id),
});
