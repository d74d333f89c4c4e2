// Shopify's real artefacts → our types: documented webhook payloads (ids beyond 2^53) and real
// bulk-operation JSONL bytes. Pure: no I/O besides reading the fixtures.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { assembleBulkProducts, groupBulkLines, type BulkGroup } from "../../app/lib/shopify/bulk-jsonl";
import { deletedProductIdFromWebhook, productFromWebhook } from "../../app/lib/shopify/product-from-webhook";
import { WebhookPayloadError } from "../../app/lib/shopify/webhook-payload-error";
import { bulkJsonl, graphqlProduct, linesOf } from "../../tools/lib/catalog-fixtures";

const FIXTURES = path.resolve("../shared/data/shopify-fixtures");
const WEBHOOKS = path.join(FIXTURES, "shopify-dev-docs/webhooks-2026-07");
const JSONL = path.join(FIXTURES, "shopify-draft-proxy/derived-jsonl");
const present = existsSync(WEBHOOKS) && existsSync(JSONL);
if (!present) console.warn(`[skip] Shopify fixtures not found under ${FIXTURES}: real-payload mapping not tested`);

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe.skipIf(!present)("webhook payloads (Shopify's documented samples)", () => {
  const raw = (name: string) => readFileSync(path.join(WEBHOOKS, name), "utf8");

  it("maps products/update to a Product with exact GIDs and decimal prices", () => {
    const product = productFromWebhook(raw("products-update.json"));
    expect(product.id).toBe("gid://shopify/Product/788032119674292922");
    expect(product.variants.map((v) => v.id)).toEqual([
      "gid://shopify/ProductVariant/642667041472713922",
      "gid://shopify/ProductVariant/757650484644203962",
    ]);
    expect(product.variants[0]).toMatchObject({ price: "19.99", compareAtPrice: "24.99", inventoryQuantity: 75 });
    expect(product).toMatchObject({
      title: "Example T-Shirt",
      status: "ACTIVE",
      publishedOnline: true,
      tags: ["example", "mens", "t-shirt"],
      collections: null,
      updatedAt: "2022-01-01T00:00:00.000Z",
    });
  });

  it("reads the products/delete id from the text, not from a lossy JSON number", () => {
    const body = raw("products-delete.json");
    expect(String(JSON.parse(body).id)).not.toBe("788032119674292922");
    expect(deletedProductIdFromWebhook(body)).toBe("gid://shopify/Product/788032119674292922");
  });

  it("refuses a body that is not a product with a message naming the field", () => {
    expect(() => productFromWebhook(raw("shop-redact.json"))).toThrow(WebhookPayloadError);
    expect(() => productFromWebhook("{not json")).toThrow(/not JSON/);
    const noPrice = JSON.parse(raw("products-create.json"));
    noPrice.admin_graphql_api_id = "gid://shopify/Product/1";
    noPrice.variants[0].price = "free";
    expect(() => productFromWebhook(JSON.stringify(noPrice))).toThrow(/variants\.0\.price/);
  });
});

describe.skipIf(!present)("bulk JSONL (real result files)", () => {
  const file = (name: string) => readFileSync(path.join(JSONL, name), "utf8");

  it("groups a product with its variant, media and metafield lines", async () => {
    const events = await collect(
      groupBulkLines(
        linesOf(file("bulk-operation-root-count-and-search-filters.run.products-variants-media-metafields.jsonl")),
        "Product",
      ),
    );
    expect(events).toHaveLength(1);
    const group = events[0] as BulkGroup;
    expect(group.root.id).toBe("gid://shopify/Product/10243914727730");
    expect(group.children.map((c) => String(c.id).split("/")[3])).toEqual([
      "ProductVariant",
      "MediaImage",
      "Metafield",
    ]);
    expect(group.linesThrough).toBe(4);
  });

  it("streams the 1,456-product export and, with a corrupted line, reports it and keeps the rest", async () => {
    const text = file("bulk-operation-run-query-group-objects.runQueryGroupObjectsTrue.RECONSTRUCTED.jsonl");
    const clean = await collect(groupBulkLines(linesOf(text), "Product"));
    expect(clean.filter((e) => e.type === "group")).toHaveLength(1456);
    const lines = text.split("\n");
    lines[700] = lines[700].slice(0, 25); // truncated mid-record
    const events = await collect(groupBulkLines(linesOf(lines.join("\n")), "Product"));
    const malformed = events.filter((e) => e.type === "malformed");
    expect(malformed).toHaveLength(1);
    expect(malformed[0]).toMatchObject({ line: 701 });
    expect(events.filter((e) => e.type === "group")).toHaveLength(1455);
  });
});

describe("bulk JSONL → Product", () => {
  it("assembles variants, collections, metafields and variant media from __parentId lines", async () => {
    const source = graphqlProduct(7, { collections: [{ handle: "rain", title: "Rain gear" }], variants: 2 });
    const events = await collect(assembleBulkProducts(linesOf(bulkJsonl([source, graphqlProduct(8)]))));
    expect(events.map((e) => e.type)).toEqual(["product", "product"]);
    const [first] = events as Extract<(typeof events)[number], { type: "product" }>[];
    expect(first.product.id).toBe("gid://shopify/Product/7");
    expect(first.product.variants).toHaveLength(2);
    expect(first.product.variants[1].imageUrl).toBe("https://cdn.example/7-2.jpg");
    expect(first.product.collections).toEqual([{ handle: "rain", title: "Rain gear" }]);
    expect(first.product.metafields).toEqual([
      { namespace: "custom", key: "material", type: "single_line_text_field", value: "Nylon 7" },
    ]);
    expect(buildProductDocument(first.product).text).toContain("Collections: Rain gear");
  });

  it("resumes after a checkpoint without repeating or skipping a product", async () => {
    const products = [1, 2, 3, 4].map((n) => graphqlProduct(n, { variants: 2 }));
    const all = (await collect(assembleBulkProducts(linesOf(bulkJsonl(products))))) as {
      linesThrough: number;
      product: { id: string };
    }[];
    const resumed = await collect(assembleBulkProducts(linesOf(bulkJsonl(products)), all[1].linesThrough));
    expect(resumed.map((e) => (e as (typeof all)[number]).product.id)).toEqual(all.slice(2).map((e) => e.product.id));
  });

  it("reports a product record Shopify would never send (bad status) and keeps the next one", async () => {
    const bad = { ...graphqlProduct(1), status: "SOMETHING" };
    const events = await collect(assembleBulkProducts(linesOf(bulkJsonl([bad, graphqlProduct(2)]))));
    expect(events[0]).toMatchObject({ type: "malformed", productId: "gid://shopify/Product/1" });
    expect(events[0].type === "malformed" && events[0].reason).toMatch(/status/);
    expect(events[1]).toMatchObject({ type: "product" });
  });
});
