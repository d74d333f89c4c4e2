import { describe, expect, it } from "vitest";
import {
  compliancePayloadFromWebhook,
  customerProfileFromWebhook,
  deletedCustomerIdFromWebhook,
  orderSummaryFromWebhook,
  parseWebhookBody,
} from "./webhook-payloads";

const SHOP = "demo.myshopify.com";
const received = new Date("2026-11-24T00:00:00Z");

describe("parseWebhookBody", () => {
  it("keeps integers beyond 2^53 exact where JSON.parse rounds them", () => {
    const raw = '{"id": 706405506930370084, "quantity": 2, "price": 89.99}';
    expect((JSON.parse(raw) as { id: number }).id).toBe(706405506930370000);
    expect(parseWebhookBody(raw)).toEqual({ id: "706405506930370084", quantity: 2, price: 89.99 });
  });
});

describe("customerProfileFromWebhook", () => {
  it("keeps only id, first name, tags, order count and consent", () => {
    const raw = `{
      "id": 706405506930370084, "admin_graphql_api_id": "gid://shopify/Customer/706405506930370084",
      "first_name": " Bob ", "last_name": "Biller", "email": "bob@biller.com", "phone": "+15555555555",
      "tags": "vip, hiker, vip", "orders_count": 7, "note": "loves ice cream",
      "email_marketing_consent": { "state": "SUBSCRIBED", "opt_in_level": "single_opt_in" },
      "default_address": { "address1": "151 O'Connor Street", "zip": "K2P 2L8" },
      "updated_at": "2021-12-31T19:00:00-05:00"
    }`;
    const profile = customerProfileFromWebhook(SHOP, raw, received);
    expect(profile).toEqual({
      shop: SHOP,
      customerId: "706405506930370084",
      firstName: "Bob",
      tags: ["vip", "hiker"],
      orderCount: 7,
      marketingConsent: "subscribed",
      sourceUpdatedAt: new Date("2022-01-01T00:00:00Z"),
    });
  });

  it("accepts tags as a list as well as Shopify's comma-separated string", () => {
    const profile = customerProfileFromWebhook(SHOP, '{"id": 1, "tags": [" a ", "b", "a", ""]}', received);
    expect(profile.tags).toEqual(["a", "b"]);
  });

  it("falls back to the lossless numeric id and marks unknown consent as unknown", () => {
    const profile = customerProfileFromWebhook(SHOP, '{"id": 9007199254740993, "first_name": null}', received);
    expect(profile).toMatchObject({ customerId: "9007199254740993", firstName: null, tags: [], orderCount: null });
    expect(profile.marketingConsent).toBe("unknown");
    expect(profile.sourceUpdatedAt).toEqual(received);
  });

  it("rejects bodies it cannot trust with a message naming the field", () => {
    expect(() => customerProfileFromWebhook(SHOP, "not json", received)).toThrow(/not JSON/);
    expect(() => customerProfileFromWebhook(SHOP, '{"first_name": "x"}', received)).toThrow(/customer has no id/);
    expect(() => customerProfileFromWebhook(SHOP, '{"id": -4}', received)).toThrow(/id/);
    expect(() =>
      customerProfileFromWebhook(SHOP, '{"admin_graphql_api_id": "gid://shopify/Order/1"}', received),
    ).toThrow(/admin_graphql_api_id/);
    expect(() => customerProfileFromWebhook(SHOP, '{"id": 1, "updated_at": "yesterday"}', received)).toThrow(
      /updated_at/,
    );
  });
});

describe("orderSummaryFromWebhook", () => {
  const order = (customer: string) => `{
    "id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
    "name": "#1001", "created_at": "2026-10-01T10:00:00Z", "processed_at": "2026-10-01T10:00:05Z",
    "updated_at": "2026-10-03T10:00:00Z", "financial_status": "paid", "fulfillment_status": "partial",
    "email": "jon@example.com", "browser_ip": "10.0.0.1", "payment_gateway_names": ["bogus"],
    "billing_address": { "address1": "123 Elm" }, "shipping_address": { "address1": "123 Elm" },
    "customer": ${customer},
    "line_items": [
      { "product_id": 788032119674292922, "variant_id": null, "title": "Aviator sunglasses", "quantity": 2, "price": "89.99" },
      { "product_id": null, "title": "Gift wrap", "quantity": 1 }
    ],
    "fulfillments": [
      { "status": "success", "shipment_status": "in_transit", "tracking_company": "UPS",
        "tracking_number": "1Z999", "tracking_urls": ["https://ups.example/1Z999"], "updated_at": "2026-10-02T00:00:00Z" }
    ]
  }`;

  it("reduces an order to what the shopper can ask about, with exact ids", () => {
    const summary = orderSummaryFromWebhook(
      SHOP,
      order('{"id": 115310627314723954, "email": "john@example.com", "first_name": "John"}'),
    );
    expect(summary).toEqual({
      shop: SHOP,
      orderId: "820982911946154508",
      customerId: "115310627314723954",
      name: "#1001",
      placedAt: new Date("2026-10-01T10:00:05Z"),
      financialStatus: "paid",
      fulfillmentStatus: "partial",
      cancelledAt: null,
      closedAt: null,
      items: [
        { productId: "788032119674292922", title: "Aviator sunglasses", quantity: 2 },
        { productId: null, title: "Gift wrap", quantity: 1 },
      ],
      fulfillments: [
        {
          status: "success",
          shipmentStatus: "in_transit",
          trackingCompany: "UPS",
          trackingUrl: "https://ups.example/1Z999",
          updatedAt: new Date("2026-10-02T00:00:00Z"),
        },
      ],
      sourceUpdatedAt: new Date("2026-10-03T10:00:00Z"),
    });
    expect(JSON.stringify(summary)).not.toMatch(/example\.com|Elm|bogus|10\.0\.0\.1|John/);
  });

  it("returns null for a guest order", () => {
    expect(orderSummaryFromWebhook(SHOP, order("null"))).toBeNull();
  });

  it("rejects an order without a name or with a bad quantity", () => {
    expect(() => orderSummaryFromWebhook(SHOP, '{"id": 1, "created_at": "2026-10-01T00:00:00Z"}')).toThrow(/name/);
    expect(() =>
      orderSummaryFromWebhook(
        SHOP,
        '{"id": 1, "name": "#1", "created_at": "2026-10-01T00:00:00Z", "line_items": [{"quantity": "two"}]}',
      ),
    ).toThrow(/line_items\.0\.quantity/);
  });
});

describe("compliance payloads", () => {
  it("reads the customer and request ids exactly", () => {
    const raw = `{"shop_id": 954889, "shop_domain": "${SHOP}", "customer": {"id": 706405506930370084,
      "email": "john@example.com", "phone": "555-625-1199"}, "orders_requested": [820982911946154508],
      "data_request": {"id": 9999}}`;
    expect(compliancePayloadFromWebhook("customers/data_request", raw)).toEqual({
      shopDomain: SHOP,
      customerId: "706405506930370084",
      orderIds: ["820982911946154508"],
      dataRequestId: "9999",
    });
  });

  it("reads customers/delete ids from the GraphQL id", () => {
    expect(
      deletedCustomerIdFromWebhook(
        '{"id": 706405506930370084, "admin_graphql_api_id": "gid://shopify/Customer/706405506930370084"}',
      ),
    ).toBe("706405506930370084");
  });

  it("rejects a redact body without a customer", () => {
    expect(() => compliancePayloadFromWebhook("customers/redact", `{"shop_domain": "${SHOP}"}`)).toThrow(
      /customers\/redact payload rejected: customer/,
    );
  });
});
