// orders/create|updated bodies in Shopify's documented shape with the fields Results reads (ids as bare
// numbers, as Shopify writes them), for the tests that drive the real webhook routes.

export const SHOWN = "788032119674292922";
export const NOT_SHOWN = "788032119674292923";

export interface OrderOptions {
  id: string;
  updatedAt: string;
  conversationId?: string;
  group?: string;
  cancelledAt?: string;
  refunded?: string;
  customerId?: string;
  /** created_at and processed_at; default 2026-03-01T10:00:00Z. */
  placedAt?: string;
}

/** An orders/create|updated body in Shopify's documented shape (the fields attribution reads, ids as bare numbers). */
export function orderBody(o: OrderOptions): string {
  const attributes = [
    ...(o.conversationId ? [{ name: "_aisle_conversation", value: o.conversationId }] : []),
    ...(o.group ? [{ name: "_aisle_group", value: o.group }] : []),
  ];
  const money = (amount: string) =>
    `{"shop_money":{"amount":"${amount}","currency_code":"USD"},"presentment_money":{"amount":"${amount}","currency_code":"USD"}}`;
  const line = (productId: string, price: string) =>
    `{"id":${productId}1,"product_id":${productId},"title":"P${productId.slice(-1)}","name":"P","quantity":1,"price":"${price}","price_set":${money(price)},"total_discount":"0.00","total_discount_set":${money("0.00")}}`;
  const refunds = o.refunded
    ? `[{"id":1,"transactions":[{"kind":"refund","status":"success","amount":"${o.refunded}","currency":"USD"}]}]`
    : "[]";
  return `{"id":${o.id},"admin_graphql_api_id":"gid://shopify/Order/${o.id}","name":"#${o.id.slice(-4)}",
"created_at":"${o.placedAt ?? "2026-03-01T10:00:00Z"}","processed_at":"${o.placedAt ?? "2026-03-01T10:00:00Z"}","updated_at":"${o.updatedAt}",
"cancelled_at":${o.cancelledAt ? `"${o.cancelledAt}"` : "null"},"currency":"USD","presentment_currency":"USD",
"total_price":"70.00","total_price_set":${money("70.00")},"current_total_price":"70.00",
"financial_status":"paid","fulfillment_status":null,"note_attributes":${JSON.stringify(attributes)},
"customer":${o.customerId ? `{"id":${o.customerId},"admin_graphql_api_id":"gid://shopify/Customer/${o.customerId}"}` : "null"},
"line_items":[${line(SHOWN, "50.00")},${line(NOT_SHOWN, "20.00")}],"fulfillments":[],"refunds":${refunds}}`;
}
