// What the answer engine may know about a verified logged-in customer: the one `CustomerContext`
// type, and the pure derivation from stored records (profile, newest orders) to it. The chat side
// turns it into flat prompt facts (`customerFacts` in app/lib/storefront/chat-turn.server.ts).
import type { CustomerProfile, MarketingConsent, OrderSummary } from "./types";

/** Orders a context carries (newest first): enough for "what did I buy?", small enough for a prompt. */
export const CONTEXT_ORDER_LIMIT = 10;

/** A verified logged-in customer's context (null, where returned, means anonymous). */
export interface CustomerContext {
  customerId: string;
  firstName: string | null;
  tags: string[];
  orderCount: number;
  marketingConsent: MarketingConsent;
  /** The latest order with its shipping state ("where is my order?"), or null. */
  latestOrder: OrderStatus | null;
  /** Newest first, at most CONTEXT_ORDER_LIMIT orders. */
  purchases: {
    orderName: string;
    placedAt: string;
    status: string;
    products: { productId: string | null; title: string; quantity: number }[];
  }[];
}

/** "Where is my order?" for one customer's latest order. */
export interface OrderStatus {
  orderName: string;
  placedAt: string;
  /** One of: cancelled, delivered, out_for_delivery, in_transit, shipped, partially_shipped, refunded, processing. */
  status: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  tracking: { company: string | null; url: string | null; shipmentStatus: string | null }[];
  items: { productId: string | null; title: string; quantity: number }[];
}

/** The shopper-facing state of an order, most advanced fact first. */
export function orderStatusOf(order: OrderSummary): string {
  if (order.cancelledAt) return "cancelled";
  const shipments = order.fulfillments.filter((f) => f.status !== "cancelled" && f.status !== "failure");
  const shipmentStates = shipments.map((f) => f.shipmentStatus);
  if (shipments.length && shipmentStates.every((s) => s === "delivered") && order.fulfillmentStatus === "fulfilled") {
    return "delivered";
  }
  if (shipmentStates.includes("out_for_delivery")) return "out_for_delivery";
  if (shipmentStates.includes("in_transit")) return "in_transit";
  if (order.fulfillmentStatus === "fulfilled") return "shipped";
  if (order.fulfillmentStatus === "partial") return "partially_shipped";
  if (order.financialStatus === "refunded") return "refunded";
  return "processing";
}

function toOrderStatus(order: OrderSummary): OrderStatus {
  return {
    orderName: order.name,
    placedAt: order.placedAt.toISOString(),
    status: orderStatusOf(order),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    tracking: order.fulfillments
      .filter((f) => f.trackingCompany || f.trackingUrl || f.shipmentStatus)
      .map((f) => ({ company: f.trackingCompany, url: f.trackingUrl, shipmentStatus: f.shipmentStatus })),
    items: order.items,
  };
}

/**
 * The context from what the store holds: `orders` newest first (at most CONTEXT_ORDER_LIMIT),
 * `orderCount` all of them. A customer we hold nothing about yet gets a blank context.
 */
export function customerContextOf(
  customerId: string,
  profile: CustomerProfile | null,
  orders: OrderSummary[],
  orderCount: number,
): CustomerContext {
  return {
    customerId,
    firstName: profile?.firstName ?? null,
    tags: profile?.tags ?? [],
    // Shopify's count (on the profile) includes orders from before install; ours may be newer.
    orderCount: Math.max(profile?.orderCount ?? 0, orderCount),
    marketingConsent: profile?.marketingConsent ?? "unknown",
    latestOrder: orders[0] ? toOrderStatus(orders[0]) : null,
    purchases: orders.map((order) => ({
      orderName: order.name,
      placedAt: order.placedAt.toISOString(),
      status: orderStatusOf(order),
      products: order.items,
    })),
  };
}
