// CustomerContext (customer-context.ts) → short readable lines for a prompt or a templated answer.
// Pure. The values come from the merchant's store (names, tags, product titles): callers still
// treat them as untrusted data (neutralise, quote), never as instructions.
import type { CustomerContext, OrderStatus } from "./customer-context";

const STATUS_TEXT: Record<string, string> = {
  cancelled: "cancelled",
  delivered: "delivered",
  out_for_delivery: "out for delivery",
  in_transit: "in transit",
  shipped: "shipped",
  partially_shipped: "partly shipped",
  refunded: "refunded",
  processing: "being prepared (not shipped yet)",
};

const day = (iso: string) => iso.slice(0, 10);

/** One sentence about an order's state, e.g. for "where is my order?". */
export function describeOrderStatus(order: OrderStatus): string {
  const parts = [
    `Order ${order.orderName}, placed ${day(order.placedAt)}, is ${STATUS_TEXT[order.status] ?? order.status}`,
  ];
  const tracked = order.tracking.find((t) => t.company || t.url);
  if (tracked) {
    parts.push(
      [tracked.company ? `carrier ${tracked.company}` : null, tracked.url ? `tracking: ${tracked.url}` : null]
        .filter(Boolean)
        .join(", "),
    );
  }
  return parts.join("; ") + ".";
}

/** At most a dozen lines: identity, segments, consent, recent purchases, latest order. */
export function customerContextLines(context: CustomerContext, maxProducts = 8): string[] {
  const lines: string[] = [];
  if (context.firstName) lines.push(`First name: ${context.firstName}`);
  if (context.tags.length) lines.push(`Customer tags: ${context.tags.slice(0, 10).join(", ")}`);
  lines.push(`Orders placed: ${context.orderCount}`);
  if (context.marketingConsent !== "subscribed") {
    lines.push("Marketing: not subscribed — do not push promotions or sign-ups");
  }
  const bought = context.purchases
    .flatMap((purchase) => purchase.products.map((product) => `${product.title} (${day(purchase.placedAt)})`))
    .slice(0, maxProducts);
  if (bought.length) lines.push(`Recently bought: ${bought.join("; ")}`);
  if (context.latestOrder) lines.push(`Latest order: ${describeOrderStatus(context.latestOrder)}`);
  return lines;
}
