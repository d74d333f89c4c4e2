// Webhook intake through the real routes and the library's real HMAC verification, real SQLite,
// the suite's real Chroma and the real local embedder.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requeueShop } from "../../app/lib/sync/product-state.server";
import { SyncWorker } from "../../app/lib/sync/sync-worker.server";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import { drainSync } from "../../tools/lib/drain-sync";
import { countEmbeddings, loadApp, type LoadedApp } from "./helpers/app";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";

let app: LoadedApp;
let embedCalls: { calls: number; texts: number };
const SHOP = "intake-shop.myshopify.com";

beforeAll(async () => {
  app = loadApp();
  embedCalls = countEmbeddings(app.services.embeddings.embeddings);
  await app.install(SHOP);
});

afterAll(async () => {
  await app.services.productIndex.dropShop(SHOP).catch(() => {});
  await app.close();
});

/** What the index holds for a product (text + metadata), read back from the catalog. */
async function indexed(productId: string) {
  const [product] = await app.services.productIndex.catalog.read(SHOP, [productId]);
  return product;
}

const syncRow = (productId: string) =>
  app.prisma.productSync.findUnique({ where: { shop_productId: { shop: SHOP, productId } } });

describe("webhook intake", () => {
  it("records one delivery replayed 10× concurrently as one change", async () => {
    const body = restPayload(graphqlProduct(1));
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.deliver(SHOP, "products/create", body, { webhookId: "replayed-delivery-1" }),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await app.prisma.webhookDelivery.count({ where: { webhookId: "replayed-delivery-1" } })).toBe(1);
    const row = await syncRow("gid://shopify/Product/1");
    expect(row).toMatchObject({ version: 1, pending: true, changeSource: "webhook" });
    const drained = await drainSync(app.services.syncEngine);
    expect(drained).toMatchObject({ claimed: 1, embedded: 1 });
    expect(await app.services.productIndex.listProductIds(SHOP)).toEqual(["gid://shopify/Product/1"]);
  });

  it("counts each delivery once on the dashboard, the counter row written in groups", async () => {
    const shop = "intake-counter.myshopify.com";
    await app.install(shop);
    const statuses = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        app.deliver(shop, "products/update", restPayload(graphqlProduct(300 + i))),
      ),
      // Replays of one delivery are not more deliveries.
      ...Array.from({ length: 5 }, () =>
        app.deliver(shop, "products/update", restPayload(graphqlProduct(400)), { webhookId: "counted-once" }),
      ),
    ]);
    expect(statuses).toEqual(Array(35).fill(200));
    // Every answer waited for a write that included it: the counter is complete once they are all in.
    const stats = await app.prisma.syncShopStats.findUnique({ where: { shop } });
    expect(stats?.webhooksReceived).toBe(31);
    expect(stats?.lastWebhookAt).toBeInstanceOf(Date);
  });

  it("keeps the exact id of a deleted product beyond 2^53 and takes it out of the index", async () => {
    const big = "9007199254740993123"; // > 2^53: JSON.parse would round it
    const product = graphqlProduct(1);
    const bigProduct = { ...product, id: `gid://shopify/Product/${big}` };
    expect(await app.deliver(SHOP, "products/create", restPayload(bigProduct))).toBe(200);
    await drainSync(app.services.syncEngine);
    expect(await app.services.productIndex.listProductIds(SHOP)).toContain(`gid://shopify/Product/${big}`);
    expect(await app.deliver(SHOP, "products/delete", deletePayload(big))).toBe(200);
    expect(await syncRow(`gid://shopify/Product/${big}`)).toMatchObject({ deleted: true, pending: true });
    await drainSync(app.services.syncEngine);
    expect(await app.services.productIndex.listProductIds(SHOP)).not.toContain(`gid://shopify/Product/${big}`);
    // A late (stale) update of the deleted product changes nothing.
    expect(await app.deliver(SHOP, "products/update", restPayload(bigProduct))).toBe(200);
    expect(await syncRow(`gid://shopify/Product/${big}`)).toMatchObject({ deleted: true, pending: false });
  });

  // Decision 091: a verified but unusable body is acknowledged (a retry resends the same bytes),
  // logged as an error naming the delivery, and changes nothing; reconciliation or polling repairs.
  it("acknowledges a verified but unreadable body on every sync topic, logs why, and writes nothing", async () => {
    const errorLog = vi.spyOn(app.services.log, "error");
    app.routes["app/scopes_update"] = scopesUpdate;
    const session = () => app.prisma.session.findUnique({ where: { id: `offline_${SHOP}` } });
    try {
      const before = {
        sync: await app.prisma.productSync.count(),
        deliveries: await app.prisma.webhookDelivery.count(),
        scope: (await session())?.scope,
      };
      const cases: [string, string, RegExp][] = [
        ["products/create", "not json", /not JSON/],
        ["products/update", JSON.stringify({ id: 5, title: "no variants or gid" }), /admin_graphql_api_id/],
        ["products/delete", '{"id": "five"}', /numeric id/],
        ["bulk_operations/finish", '{"status": "completed"}', /admin_graphql_api_id/],
        ["app/scopes_update", '{"current": "read_products"}', /current/],
      ];
      for (const [topic, body, why] of cases) {
        const webhookId = `malformed-${topic}`;
        expect(await app.deliver(SHOP, topic, body, { webhookId }), topic).toBe(200);
        expect(errorLog).toHaveBeenCalledWith(
          { shop: SHOP, topic: topic.toUpperCase().replace("/", "_"), webhookId, reason: expect.stringMatching(why) },
          expect.stringContaining("payload rejected"),
        );
      }
      expect(await app.prisma.productSync.count()).toBe(before.sync);
      expect(await app.prisma.webhookDelivery.count()).toBe(before.deliveries);
      expect((await session())?.scope).toBe(before.scope);
    } finally {
      errorLog.mockRestore();
    }
  });

  it("embeds nothing for 1,000 price and inventory updates, yet the index carries the new prices", async () => {
    const base = Array.from({ length: 20 }, (_, i) => graphqlProduct(100 + i, { variants: 2 }));
    for (const product of base) expect(await app.deliver(SHOP, "products/create", restPayload(product))).toBe(200);
    await drainSync(app.services.syncEngine);
    const before = { ...embedCalls };
    const started = Date.parse("2025-06-01T00:00:00Z");
    for (let i = 0; i < 1000; i++) {
      const n = 100 + (i % 20);
      const updated = graphqlProduct(n, {
        variants: 2,
        price: `${(20 + (i % 50)).toFixed(2)}`,
        inventory: i % 9,
        updatedAt: new Date(started + (i + 1) * 1000).toISOString(),
      });
      expect(await app.deliver(SHOP, "products/update", restPayload(updated))).toBe(200);
      if (i % 250 === 249) await drainSync(app.services.syncEngine);
    }
    const drained = await drainSync(app.services.syncEngine);
    expect(drained.embedded).toBe(0);
    expect(embedCalls.calls - before.calls).toBe(0);
    const status = await app.services.syncEngine.status(SHOP);
    expect(status.embedding.metadataUpdates).toBeGreaterThanOrEqual(20);
    expect(status.pending).toBe(0);
    // The last update of product 119 was i = 999: price 20 + (999 % 50) = 69.00.
    expect((await indexed("gid://shopify/Product/119"))?.metadata).toMatchObject({ minPrice: 69, maxPrice: 69 });
  }, 300_000);

  it("ends on the newest of five versions delivered in random order with stale retries", async () => {
    const id = "gid://shopify/Product/500";
    const versions = [1, 2, 3, 4, 5].map((v) =>
      graphqlProduct(500, { title: `Version ${v} parka`, updatedAt: `2025-07-0${v}T10:00:00Z` }),
    );
    const deliveries = versions.map((p, i) => ({ body: restPayload(p), webhookId: `v-${i + 1}` }));
    // Random order, then Shopify-style retries of a few (same webhook id), worker passes in between.
    const order = [...deliveries].sort(() => Math.random() - 0.5);
    const retries = [...deliveries].sort(() => Math.random() - 0.5).slice(0, 3);
    for (const [i, d] of [...order, ...retries].entries()) {
      expect(await app.deliver(SHOP, "products/update", d.body, { webhookId: d.webhookId })).toBe(200);
      if (Math.random() < 0.5 || i === 2) await drainSync(app.services.syncEngine);
    }
    await drainSync(app.services.syncEngine);
    const row = await syncRow(id);
    expect(JSON.parse(row!.snapshot!).title).toBe("Version 5 parka");
    expect(row!.pending).toBe(false);
    expect((await indexed(id))?.text).toMatch(/^Version 5 parka/);
  });

  it("lets several workers drain at once without processing a product twice", async () => {
    const products = Array.from({ length: 60 }, (_, i) => graphqlProduct(2000 + i));
    for (const product of products) expect(await app.deliver(SHOP, "products/create", restPayload(product))).toBe(200);
    const before = { ...embedCalls };
    const workers = Array.from(
      { length: 3 },
      () => new SyncWorker({ db: app.prisma, index: app.services.productIndex, log: app.services.log, batchSize: 8 }),
    );
    const results = await Promise.all(workers.map((worker) => drainSync(worker)));
    expect(results.reduce((sum, r) => sum + r.embedded, 0)).toBe(60);
    expect(results.filter((r) => r.embedded > 0).length).toBeGreaterThan(1);
    expect(embedCalls.texts - before.texts).toBe(60);
    expect(await app.prisma.productSync.count({ where: { shop: SHOP, pending: true } })).toBe(0);
  }, 240_000);

  it("re-embeds only texts that changed when the indexed fields change (refreshShop)", async () => {
    await drainSync(app.services.syncEngine);
    const titleOnly = new SyncWorker({
      db: app.prisma,
      index: app.services.productIndex,
      log: app.services.log,
      documentOptions: () => ({ fields: ["vendor"] }),
    });
    const live = await app.prisma.productSync.count({ where: { shop: SHOP, deleted: false } });
    expect(await requeueShop(app.prisma, SHOP)).toBe(live);
    const first = await drainSync(titleOnly);
    expect(first.embedded).toBeGreaterThan(0);
    expect(await requeueShop(app.prisma, SHOP)).toBe(live);
    const before = { ...embedCalls };
    expect((await drainSync(titleOnly)).embedded).toBe(0);
    expect(embedCalls.calls - before.calls).toBe(0);
  }, 240_000);

  it("acknowledges and ignores product webhooks of an uninstalled shop; app/uninstalled keeps the data", async () => {
    const before = await app.prisma.productSync.count({ where: { shop: SHOP } });
    expect(
      await app.deliver(SHOP, "app/uninstalled", JSON.stringify({ id: 1, domain: SHOP, myshopify_domain: SHOP })),
    ).toBe(200);
    expect(await app.services.lifecycleJobs.drain()).toBe(1);
    expect(await app.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await app.deliver(SHOP, "products/create", restPayload(graphqlProduct(777)))).toBe(200);
    expect(await syncRow("gid://shopify/Product/777")).toBeNull();
    expect(await app.prisma.productSync.count({ where: { shop: SHOP } })).toBe(before);
    expect(await app.services.productIndex.count(SHOP)).toBeGreaterThan(0);
  });
});
