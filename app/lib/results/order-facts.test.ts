import { describe, expect, it } from "vitest";
import { WebhookPayloadError } from "../shopify/webhook-payload-error";
import { chatLines, decodeFacts, encodeFacts, factsHash, minorUnits, orderFactsFromWebhook } from "./order-facts";
import { netMinor } from "./results-report";

// A body with the keys of Shopify's documented orders/create sample that the facts read; the id beyond 2^53
// is written as Shopify writes it (a bare number).
function body(fields: Record<string, string> = {}): string {
  const values = {
    id: "820982911946154508",
    updated_at: '"2026-03-01T10:00:00-05:00"',
    cancelled_at: "null",
    note_attributes: '[{"name":"_aisle_conversation","value":"conv_1"},{"name":"_aisle_group","value":"assistant"}]',
    refunds: "[]",
    ...fields,
  };
  return `{"id":${values.id},"name":"#1001","created_at":"2026-03-01T09:59:00-05:00","updated_at":${values.updated_at},
"cancelled_at":${values.cancelled_at},"currency":"EUR","presentment_currency":"USD","total_price":"110.00",
"total_price_set":{"shop_money":{"amount":"100.00","currency_code":"EUR"},"presentment_money":{"amount":"110.00","currency_code":"USD"}},
"email":"bob@example.com","note":"leave at the door","note_attributes":${values.note_attributes},
"line_items":[
 {"product_id":788032119674292922,"title":"Aviator sunglasses","quantity":2,"price":"44.00",
  "price_set":{"shop_money":{"amount":"40.00","currency_code":"EUR"}},"total_discount":"0.00",
  "total_discount_set":{"shop_money":{"amount":"5.00","currency_code":"EUR"}}},
 {"product_id":null,"title":"Gift wrap","quantity":1,"price":"22.00","price_set":{"shop_money":{"amount":"20.00","currency_code":"EUR"}}}
],"refunds":${values.refunds}}`;
}

describe("order facts", () => {
  it("reads amounts as exact hundredths", () => {
    expect(minorUnits("404.95")).toBe(40495);
    expect(minorUnits("0.1")).toBe(10);
    expect(minorUnits("12")).toBe(1200);
    expect(minorUnits("1.005")).toBe(101);
    expect(minorUnits("-3.20")).toBe(-320);
    expect(() => minorUnits("1,00")).toThrow();
  });

  it("keeps the order id exact, the shop currency, the attributes and the lines", () => {
    const facts = orderFactsFromWebhook(body());
    expect(facts).toMatchObject({
      orderId: "820982911946154508",
      name: "#1001",
      currency: "EUR",
      totalMinor: 10000,
      refundedMinor: 0,
      cancelledAt: null,
      conversationId: "conv_1",
      group: "assistant",
    });
    expect(facts.updatedAt.toISOString()).toBe("2026-03-01T15:00:00.000Z");
    expect(facts.lines).toEqual([
      { productId: "788032119674292922", title: "Aviator sunglasses", quantity: 2, amountMinor: 7500 },
      { productId: null, title: "Gift wrap", quantity: 1, amountMinor: 2000 },
    ]);
    // Nothing about the buyer is read.
    expect(JSON.stringify(facts)).not.toMatch(/bob@example|door/);
  });

  it("ignores attributes it does not recognise and orders without any", () => {
    const odd = orderFactsFromWebhook(
      body({
        note_attributes: '[{"name":"_aisle_conversation","value":"<script>"},{"name":"_aisle_group","value":"vip"}]',
      }),
    );
    expect(odd.conversationId).toBeNull();
    expect(odd.group).toBeNull();
    const none = orderFactsFromWebhook(body({ note_attributes: "[]" }));
    expect(none.conversationId).toBeNull();
  });

  it("sums successful refund transactions in the shop currency and zeroes a cancelled order", () => {
    const refunds = `[{"transactions":[{"kind":"refund","status":"success","amount":"22.00","currency":"USD"},
      {"kind":"refund","status":"failure","amount":"50.00","currency":"USD"}]}]`;
    const refunded = orderFactsFromWebhook(body({ refunds }));
    expect(refunded.refundedMinor).toBe(2000); // 22 USD of a 110 USD order paying 100 EUR
    expect(netMinor(refunded)).toBe(8000);
    const cancelled = orderFactsFromWebhook(body({ cancelled_at: '"2026-03-02T10:00:00Z"' }));
    expect(netMinor(cancelled)).toBe(0);
  });

  it("refuses a body without an id or a total, naming the field", () => {
    expect(() => orderFactsFromWebhook('{"created_at":"2026-03-01T10:00:00Z","currency":"EUR"}')).toThrow(
      WebhookPayloadError,
    );
    expect(() => orderFactsFromWebhook(body().replace('"total_price":"110.00"', '"total_price":"lots"'))).toThrow(
      /total_price/,
    );
  });

  it("keeps only the lines of products the assistant showed, by GID or numeric id", () => {
    const { lines } = orderFactsFromWebhook(body());
    expect(chatLines(lines, ["gid://shopify/Product/788032119674292922"])).toHaveLength(1);
    expect(chatLines(lines, ["788032119674292922"])).toHaveLength(1);
    expect(chatLines(lines, ["gid://shopify/Product/1"])).toEqual([]);
  });

  it("survives the job input round trip with the same hash", () => {
    const facts = orderFactsFromWebhook(body({ cancelled_at: '"2026-03-02T10:00:00Z"' }));
    const back = decodeFacts(encodeFacts(facts));
    expect(back).toEqual(facts);
    expect(factsHash(back)).toBe(factsHash(facts));
  });
});
