// orders/create and orders/updated bodies with the keys (and order) of Shopify's documented 2026-07 sample.
import { gid } from "../admin/resolvers";
import type { EmulatedCustomer } from "../store/model";
import type { ShopStore } from "../store/shop-store";
import { customerPayload, restTime } from "./payloads";

export interface EmulatedOrder {
  id: number;
  number: number;
  token: string;
  customerId: number | null;
  email: string | null;
  /** The cart's attributes at checkout (Shopify's note_attributes), in the order they were set. */
  noteAttributes: { name: string; value: string }[];
  /** The storefront cart it was checked out from, if any. */
  cartToken: string | null;
  cancelledAt: string | null;
  /** Refunds issued, each one successful transaction of `amount` in the shop currency. */
  refunds: { id: number; transactionId: number; amount: string; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
  lines: {
    id: number;
    variantId: number;
    productId: number;
    title: string;
    variantTitle: string | null;
    sku: string | null;
    vendor: string;
    price: string;
    quantity: number;
    grams: number;
  }[];
  fulfillments: {
    id: number;
    status: "success";
    shipmentStatus: string | null;
    trackingCompany: string | null;
    trackingUrl: string | null;
    createdAt: string;
  }[];
}

const set = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

export function orderPayload(shop: ShopStore, order: EmulatedOrder, customer: EmulatedCustomer | undefined) {
  const c = shop.currency;
  const subtotal = order.lines.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0).toFixed(2);
  const fulfilled = order.fulfillments.length > 0;
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelledAt ? "customer" : null,
    cancelled_at: order.cancelledAt ? restTime(order.cancelledAt) : null,
    cart_token: order.cartToken,
    checkout_token: null,
    client_details: null,
    closed_at: null,
    confirmation_number: order.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt),
    currency: c,
    current_shipping_price_set: set("0.00", c),
    current_subtotal_price: subtotal,
    current_subtotal_price_set: set(subtotal, c),
    current_total_additional_fees_set: null,
    current_total_discounts: "0.00",
    current_total_discounts_set: set("0.00", c),
    current_total_duties_set: null,
    current_total_price: subtotal,
    current_total_price_set: set(subtotal, c),
    current_total_tax: "0.00",
    current_total_tax_set: set("0.00", c),
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: "paid",
    fulfillment_status: fulfilled ? "fulfilled" : null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: "MQ",
    merchant_of_record_app_id: null,
    name: `#${order.number}`,
    note: null,
    note_attributes: order.noteAttributes,
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/1/orders/${order.token}/authenticate?key=${order.token}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: ["bogus"],
    phone: null,
    po_number: null,
    presentment_currency: c,
    processed_at: restTime(order.createdAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: subtotal,
    subtotal_price_set: set(subtotal, c),
    tags: "",
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: true,
    token: order.token,
    total_cash_rounding_payment_adjustment_set: set("0.00", c),
    total_cash_rounding_refund_adjustment_set: set("0.00", c),
    total_discounts: "0.00",
    total_discounts_set: set("0.00", c),
    total_line_items_price: subtotal,
    total_line_items_price_set: set(subtotal, c),
    total_outstanding: "0.00",
    total_price: subtotal,
    total_price_set: set(subtotal, c),
    total_shipping_price_set: set("0.00", c),
    total_tax: "0.00",
    total_tax_set: set("0.00", c),
    total_tip_received: "0.00",
    total_weight: order.lines.reduce((sum, line) => sum + line.grams * line.quantity, 0),
    updated_at: restTime(order.updatedAt),
    user_id: null,
    billing_address: null,
    customer: customer ? customerPayload(customer, c) : null,
    discount_applications: [],
    fulfillments: order.fulfillments.map((f) => ({
      id: f.id,
      admin_graphql_api_id: gid("Fulfillment", f.id),
      created_at: restTime(f.createdAt),
      name: `#${order.number}.1`,
      order_id: order.id,
      service: "manual",
      shipment_status: f.shipmentStatus,
      status: f.status,
      tracking_company: f.trackingCompany,
      tracking_number: null,
      tracking_numbers: [],
      tracking_url: f.trackingUrl,
      tracking_urls: f.trackingUrl ? [f.trackingUrl] : [],
      updated_at: restTime(f.createdAt),
    })),
    line_items: order.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid("LineItem", line.id),
      attributed_staffs: [],
      current_quantity: line.quantity,
      fulfillable_quantity: fulfilled ? 0 : line.quantity,
      fulfillment_service: "manual",
      fulfillment_status: fulfilled ? "fulfilled" : null,
      gift_card: false,
      grams: line.grams,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      price: line.price,
      price_set: set(line.price, c),
      product_exists: shop.products.has(line.productId),
      product_id: line.productId,
      properties: [],
      quantity: line.quantity,
      requires_shipping: true,
      sales_line_item_group_id: null,
      sku: line.sku,
      taxable: true,
      title: line.title,
      total_discount: "0.00",
      total_discount_set: set("0.00", c),
      variant_id: line.variantId,
      variant_inventory_management: "shopify",
      variant_title: line.variantTitle,
      vendor: line.vendor,
      tax_lines: [],
      duties: [],
      discount_allocations: [],
    })),
    payment_terms: null,
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      admin_graphql_api_id: gid("Refund", refund.id),
      created_at: restTime(refund.createdAt),
      note: null,
      order_id: order.id,
      processed_at: restTime(refund.createdAt),
      restock: false,
      total_duties_set: set("0.00", c),
      user_id: null,
      order_adjustments: [],
      transactions: [
        {
          id: refund.transactionId,
          admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
          amount: refund.amount,
          authorization: null,
          created_at: restTime(refund.createdAt),
          currency: c,
          device_id: null,
          error_code: null,
          gateway: "bogus",
          kind: "refund",
          location_id: null,
          message: "Bogus Gateway: Forced success",
          order_id: order.id,
          parent_id: null,
          processed_at: restTime(refund.createdAt),
          receipt: {},
          source_name: "web",
          status: "success",
          test: true,
          user_id: null,
        },
      ],
      refund_line_items: [],
      duties: [],
    })),
    shipping_address: null,
    shipping_lines: [],
    returns: [],
    line_item_groups: [],
  };
}
