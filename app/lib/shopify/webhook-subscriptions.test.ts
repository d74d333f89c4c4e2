import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { compareSubscriptions, DECLARED_WEBHOOK_SUBSCRIPTIONS, topicFromEnum } from "./webhook-subscriptions";

const APP = "https://aisle.example.com";
const ALL_SCOPES = ["read_products", "read_customers", "read_orders"];

describe("compareSubscriptions", () => {
  it("the app's declaration is exactly shopify.app.toml's [webhooks] subscriptions", () => {
    const toml = parse(readFileSync("shopify.app.toml", "utf8")) as {
      webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
    };
    const fromToml = toml.webhooks.subscriptions.flatMap((s) =>
      [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: s.uri })),
    );
    expect(DECLARED_WEBHOOK_SUBSCRIPTIONS.map(({ topic, uri }) => ({ topic, uri }))).toEqual(fromToml);
  });

  it("finds nothing when every scope is granted and no shop-scoped subscription exists", () => {
    expect(compareSubscriptions(DECLARED_WEBHOOK_SUBSCRIPTIONS, ALL_SCOPES, [], APP)).toEqual({
      missing: [],
      extra: [],
    });
  });

  it("counts write_ scopes as covering, and reports topics whose scope is not granted", () => {
    const { missing } = compareSubscriptions(DECLARED_WEBHOOK_SUBSCRIPTIONS, ["write_products"], [], APP);
    expect(missing.map((m) => m.topic)).toEqual([
      "customers/create",
      "customers/update",
      "customers/delete",
      "orders/create",
      "orders/updated",
    ]);
  });

  it("reports every shop-scoped subscription with why it is extra", () => {
    const { extra } = compareSubscriptions(
      DECLARED_WEBHOOK_SUBSCRIPTIONS,
      ALL_SCOPES,
      [
        { id: "1", topic: "products/update", uri: `${APP}/webhooks/products/update` },
        { id: "2", topic: "products/update", uri: "https://old.example.com/hook" },
        { id: "3", topic: "ORDERS_PAID", uri: `${APP}/webhooks/orders/paid` },
      ],
      APP,
    );
    expect(extra.map((e) => e.reason)).toEqual([
      "duplicates the app-scoped subscription: each event is delivered twice",
      "duplicates the app-scoped subscription, to another address",
      "not in shopify.app.toml",
    ]);
  });
});

describe("topicFromEnum", () => {
  it("names declared topics as webhooks do and leaves others as Shopify reports them", () => {
    expect(topicFromEnum("BULK_OPERATIONS_FINISH")).toBe("bulk_operations/finish");
    expect(topicFromEnum("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
    expect(topicFromEnum("APP_SUBSCRIPTIONS_UPDATE")).toBe("APP_SUBSCRIPTIONS_UPDATE");
  });
});
