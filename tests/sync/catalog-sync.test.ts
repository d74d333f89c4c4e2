// The sync engine against the local store emulator (Admin GraphQL with cost/throttle, bulk
// operations with JSONL, signed webhooks with faults), real SQLite, the suite's real Chroma and the
// real local embedder. The app runs in this process (routes, services, the Shopify library).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { createProductIndex, createVectorStore } from "../../app/lib/search/search-stores.server";
import { shopCollectionPrefix } from "../../app/lib/search/collection-name";
import { shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { recordInstall } from "../../app/lib/sync/shop-lifecycle.server";
import { SyncEngine } from "../../app/lib/sync/sync-engine.server";
import { startChroma } from "../../tools/chroma/chroma-process";
import { drainSync } from "../../tools/lib/drain-sync";
import { freePort } from "../../tools/lib/ports";
import { countEmbeddings } from "./helpers/app";
import { sampleCatalog } from "../../tools/bench/sync-catalog";
import { installShop, startEmulatedShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

let h: EmulatedShopHarness;
let embedCalls: { calls: number; texts: number };

beforeAll(async () => {
  h = await startEmulatedShop();
  embedCalls = countEmbeddings(h.services.embeddings.embeddings);
});

afterAll(async () => {
  await h?.stop();
});

/** The store's products that shoppers can see (active and published), as GIDs. */
const searchableGids = (shop: string) =>
  [...h.emulator.shop(shop).store.products.values()]
    .filter((p) => p.status === "active" && p.publishedAt)
    .map((p) => `gid://shopify/Product/${p.id}`)
    .sort();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const runs = await h.prisma.importRun.findMany({ orderBy: { startedAt: "desc" }, take: 1 });
      throw new Error(`timed out waiting for ${what}; last import run: ${JSON.stringify(runs[0])}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a running engine does, step by step: move imports on, drain the workers. */
async function runImport(shop: string) {
  return waitFor(
    `import of ${shop}`,
    async () => {
      await h.services.syncEngine.advanceImports();
      await drainSync(h.services.syncEngine);
      const progress = await h.services.syncEngine.importProgress(shop);
      return progress?.status === "completed" || progress?.status === "failed" ? progress : undefined;
    },
    240_000,
  );
}

/** Every collection of the suite's vector store. */
const collectionNames = () => h.services.vectorStore.listCollections("");

/** The embedded texts the shop's catalog holds. */
const indexedTexts = async (index: HybridProductIndex, shop: string) =>
  (await index.catalog.page(shop, null, 100_000)).map((p) => p.text);

const indexedIds = async (shop: string) => (await h.services.productIndex.listProductIds(shop)).sort();

describe("initial import", () => {
  const SHOP = "import-shop.myshopify.com";

  it("imports the catalog on install: bulk export, streamed JSONL, index equals catalog", async () => {
    h.emulator.createShop(SHOP);
    h.emulator.seed(SHOP, sampleCatalog(150));
    h.emulator.seed(SHOP, [{ ...sampleCatalog(1, 999)[0], status: "draft" }]);
    await installShop(h, SHOP);
    const before = { ...embedCalls };
    await recordInstall(h.prisma, h.services.syncEngine["deps"].log, SHOP, "read_products");
    const progress = await runImport(SHOP);
    expect(progress).toMatchObject({ status: "completed", total: 151, done: 151, malformedLines: 0 });
    expect(searchableGids(SHOP)).toHaveLength(150);
    expect(await indexedIds(SHOP)).toEqual(searchableGids(SHOP));
    expect(embedCalls.texts - before.texts).toBe(150);
    // Shopify told the app the export finished (bulk_operations/finish), and it was acknowledged.
    await waitFor("bulk_operations/finish", async () => h.answered.find((a) => a.topic === "bulk_operations/finish"));
    expect(h.answered.filter((a) => a.topic === "bulk_operations/finish").every((a) => a.status === 200)).toBe(true);
    const status = await h.services.syncEngine.status(SHOP);
    expect(status).toMatchObject({ productsInShopify: 151, indexed: 150, pending: 0, failed: 0 });
  }, 240_000);

  it("re-importing an unchanged catalog embeds nothing", async () => {
    const before = { ...embedCalls };
    await h.services.syncEngine.requestImport(SHOP);
    expect((await runImport(SHOP)).status).toBe("completed");
    expect(embedCalls.calls - before.calls).toBe(0);
  }, 240_000);
});

/** Installs a shop with `count` products and imports it (through the app's own engine). */
async function importedShop(shop: string, count: number) {
  h.emulator.createShop(shop);
  h.emulator.seed(shop, sampleCatalog(count));
  await installShop(h, shop);
  await h.services.syncEngine.requestImport(shop);
  expect((await runImport(shop)).status).toBe("completed");
  return h.emulator.shop(shop).store;
}

describe("webhooks from the store", () => {
  it("drops 5 % of webhooks, then reconciliation repairs every difference (drift 0 afterwards)", async () => {
    const SHOP = "drift-shop.myshopify.com";
    const store = await importedShop(SHOP, 120);
    h.emulator.setWebhookFaults({ dropRate: 0.05, duplicateRate: 0.05 }, 7);
    const ids = [...store.products.keys()];
    // Each product changes at most once (Shopify's updatedAt has one-second resolution).
    ids.slice(0, 60).forEach((id, i) => store.updateProduct(id, { title: `Renamed product ${i}` }));
    for (const id of ids.slice(60, 100)) {
      const variant = store.products.get(id)!.variants[0];
      store.updateVariant(variant.id, { price: "99.00", inventoryQuantity: 1 });
    }
    for (const id of ids.slice(100, 106)) store.deleteProduct(id);
    for (const input of sampleCatalog(8, 500)) store.createProduct(input);
    await h.emulator.webhooks.idle();
    h.emulator.setWebhookFaults({});
    expect(h.answered.every((a) => a.status === 200)).toBe(true);
    await drainSync(h.services.syncEngine);

    const drift = await h.services.syncEngine.reconcile(SHOP);
    expect(drift.total).toBeGreaterThan(0); // the dropped deliveries were noticed…
    await drainSync(h.services.syncEngine);
    expect(await indexedIds(SHOP)).toEqual(searchableGids(SHOP)); // …and repaired
    const again = await h.services.syncEngine.reconcile(SHOP);
    expect(again).toMatchObject({ missing: 0, extra: 0, stale: 0, index: 0, total: 0 });
    const status = await h.services.syncEngine.status(SHOP);
    expect(status.drift).toMatchObject({ missing: 0, extra: 0, stale: 0, index: 0 });
    // Renamed titles made it into the embedded text.
    const texts = await indexedTexts(h.services.productIndex, SHOP);
    expect(texts.filter((t) => t.startsWith("Renamed product"))).toHaveLength(60);
  }, 240_000);

  it("ends on the store's version when two versions of a product share one updatedAt second", async () => {
    const SHOP = "tie-shop.myshopify.com";
    const store = await importedShop(SHOP, 16);
    const ids = [...store.products.keys()];
    // Both edits inside one second (Shopify's updatedAt resolution), deliveries shuffled (seeded).
    h.emulator.setWebhookFaults({ reorderWindow: ids.length * 2 }, 11);
    while (Date.now() % 1000 > 200) await new Promise((resolve) => setTimeout(resolve, 20));
    const first = ids.map((id, i) => store.updateProduct(id, { title: `First edit ${i}` }).updatedAt);
    const second = ids.map((id, i) => store.updateProduct(id, { title: `Second edit ${i}` }).updatedAt);
    expect(second).toEqual(first);
    await h.emulator.webhooks.idle();
    h.emulator.setWebhookFaults({});
    await drainSync(h.services.syncEngine);
    const titles = async () => {
      const texts = await indexedTexts(h.services.productIndex, SHOP);
      return ids.map((_, i) => texts.some((t) => t.startsWith(`Second edit ${i}`)));
    };
    // The deliveries alone cannot tell the order: with this shuffle some products hold the first edit…
    expect((await titles()).every(Boolean)).toBe(false);
    // …until the tied products, once settled, are fetched again from the store.
    await new Promise((resolve) => setTimeout(resolve, h.services.syncEngine.settings.tieSettleMs + 200));
    expect(await h.services.syncEngine.verifyTiedChanges()).toBe(ids.length);
    await drainSync(h.services.syncEngine);
    expect(await titles()).toEqual(ids.map(() => true));
    expect(await h.prisma.productSync.count({ where: { shop: SHOP, changeSource: "webhook-tie" } })).toBe(0);
    expect(await h.services.syncEngine.verifyTiedChanges()).toBe(0);
  }, 120_000);

  it("answers every webhook 2xx while Chroma is down, loses nothing, and drains when it is back", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-chroma-outage-"));
    const port = await freePort();
    let chroma = await startChroma({ dataDir, port, quiet: true });
    const vectors = createVectorStore({ ...h.services.env, CHROMA_URL: chroma.url });
    const index = createProductIndex({
      env: h.services.env,
      db: h.prisma,
      vectors,
      embeddings: h.services.embeddings,
    });
    const engine = new SyncEngine({
      db: h.prisma,
      log: h.services.log,
      index,
      transportFor: shopifyAppTransport((shop) => h.services.shopify.unauthenticated.admin(shop)),
      settings: { workerConcurrency: 0, maxBackoffMs: 500 },
    });
    const SHOP = "outage-shop.myshopify.com";
    h.emulator.createShop(SHOP);
    h.emulator.seed(SHOP, sampleCatalog(40));
    await installShop(h, SHOP);
    await engine.requestImport(SHOP);
    await waitFor("import", async () => {
      await engine.advanceImports();
      await drainSync(engine);
      return (await engine.importProgress(SHOP))?.status === "completed";
    });

    try {
      const store = h.emulator.shop(SHOP).store;
      const answeredBefore = h.answered.length;
      h.emulator.setWebhookFaults({ burst: true });
      const ids = [...store.products.keys()];
      ids.slice(0, 30).forEach((id, i) => store.updateProduct(id, { title: `Storm shell ${i}` }));
      for (const id of ids.slice(30, 35)) store.deleteProduct(id);
      for (const input of sampleCatalog(10, 700)) store.createProduct(input);
      await chroma.stop();
      h.emulator.webhooks.flush();
      await h.emulator.webhooks.idle();
      h.emulator.setWebhookFaults({});
      const burst = h.answered.slice(answeredBefore).filter((a) => a.shop === SHOP);
      expect(burst).toHaveLength(45);
      expect(burst.every((a) => a.status === 200)).toBe(true);

      const down = await drainSync(engine, 3);
      expect(down.failed).toBeGreaterThan(0);
      const stuck = await engine.status(SHOP);
      expect(stuck.pending).toBe(45);

      chroma = await startChroma({ dataDir, port, quiet: true });
      await waitFor("backlog drained", async () => {
        await drainSync(engine);
        return (await engine.status(SHOP)).pending === 0;
      });
      const expected = [...store.products.values()]
        .filter((p) => p.status === "active" && p.publishedAt)
        .map((p) => `gid://shopify/Product/${p.id}`)
        .sort();
      expect((await index.listProductIds(SHOP)).sort()).toEqual(expected);
      expect((await vectors.listIds((await index.state(SHOP))!.activeCollection)).sort()).toEqual(expected);
      const texts = await indexedTexts(index, SHOP);
      expect(texts.filter((t) => t.startsWith("Storm shell"))).toHaveLength(30);
    } finally {
      await vectors.close();
      await chroma.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe("malformed export", () => {
  it("reports a malformed JSONL line, keeps the rest and refetches the product it belonged to", async () => {
    const SHOP = "malformed-shop.myshopify.com";
    h.emulator.createShop(SHOP);
    h.emulator.seed(SHOP, sampleCatalog(30));
    await installShop(h, SHOP);
    // The download arrives with one record cut short (a truncated line inside the 10th product).
    const engine = new SyncEngine({
      db: h.prisma,
      log: h.services.log,
      index: h.services.productIndex,
      transportFor: shopifyAppTransport((shop) => h.services.shopify.unauthenticated.admin(shop)),
      fetchResult: async (url) => {
        const lines = (await (await fetch(url)).text()).split("\n");
        const target = lines.findIndex((line, i) => i > 20 && line.includes("__parentId"));
        lines[target] = lines[target].slice(0, 30);
        return new Response(lines.join("\n"));
      },
      settings: { workerConcurrency: 0 },
    });
    await engine.requestImport(SHOP);
    const progress = await waitFor("import", async () => {
      await engine.advanceImports();
      await drainSync(engine);
      const p = await engine.importProgress(SHOP);
      return p?.status === "completed" ? p : undefined;
    });
    expect(progress.malformedLines).toBe(1);
    expect(progress.malformedSample[0].reason).toMatch(/unreadable line/);
    expect(await indexedIds(SHOP)).toEqual(searchableGids(SHOP));
    // The product whose line was cut was fetched again by id: its SKUs are all there.
    const rows = await h.prisma.productSync.findMany({ where: { shop: SHOP } });
    for (const row of rows) {
      const product = h.emulator.shop(SHOP).store.products.get(Number(row.productId.split("/").pop()))!;
      expect(JSON.parse(row.snapshot!).variants).toHaveLength(product.variants.length);
    }
  }, 240_000);
});

describe("rate limits", () => {
  it("never overruns the cost bucket with many concurrent requests, and backs off when another client drains it", async () => {
    const { PRODUCTS_BY_ID, productsByIdVariables } = await import("../../app/lib/shopify/product-queries");
    const SHOP = "busy-shop.myshopify.com";
    h.emulator.createShop(SHOP);
    h.emulator.seed(SHOP, sampleCatalog(50));
    await installShop(h, SHOP);
    const ids = [...h.emulator.shop(SHOP).store.products.keys()].map((id) => `gid://shopify/Product/${id}`);
    const admin = await h.services.syncEngine.adminFor(SHOP);
    const bucket = h.services.syncEngine.bucketFor(SHOP);
    // 30 × ~81 points ≈ 2,400 > the 2,000-point bucket: sent blindly, the tail would be THROTTLED.
    const results = await Promise.all(
      Array.from({ length: 30 }, () => admin.query(PRODUCTS_BY_ID, productsByIdVariables(ids, []))),
    );
    expect(results.every((r) => r.nodes.length === 50)).toBe(true);
    expect(bucket.throttledResponses).toBe(0);
    expect(bucket.lowestAvailable).toBeGreaterThanOrEqual(0);
    // Another app process used the shop's bucket up: Shopify answers THROTTLED, we wait and retry.
    // First 5 s of refill, which this process counts too (~500 points): it then sends ~6 queries at
    // once into the drained bucket, and only a stall of ~5 s before they reach Shopify would let them fit.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    h.emulator.shop(SHOP).bucket.drain();
    const after = await Promise.all(
      Array.from({ length: 10 }, () => admin.query(PRODUCTS_BY_ID, productsByIdVariables(ids, []))),
    );
    expect(after.every((r) => r.nodes.length === 50)).toBe(true);
    expect(bucket.throttledResponses).toBeGreaterThan(0);
  }, 240_000);
});

describe("lifecycle", () => {
  it("uninstall stops sync and keeps data; shop/redact removes every trace; reinstall imports again", async () => {
    const SHOP = "lifecycle-shop.myshopify.com";
    const store = await importedShop(SHOP, 20);
    expect(await h.services.productIndex.count(SHOP)).toBe(20);

    h.emulator.uninstallApp(SHOP);
    await h.emulator.webhooks.idle();
    await h.services.lifecycleJobs.drain();
    expect(await h.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await h.prisma.productSync.count({ where: { shop: SHOP } })).toBe(20);
    expect(await h.services.productIndex.count(SHOP)).toBe(20);

    // The shop's collections, as the registry records them (names are hashed: nothing to grep for).
    const registry = await h.prisma.searchIndex.findUnique({ where: { shop: SHOP } });
    const recorded = [registry?.activeCollection, registry?.rebuildingCollection].filter(Boolean);
    expect(recorded.length).toBeGreaterThan(0);
    expect(await collectionNames()).toEqual(expect.arrayContaining(recorded));

    h.emulator.redactShop(SHOP);
    await h.emulator.webhooks.idle();
    await h.services.lifecycleJobs.drain();
    expect(h.answered.filter((a) => a.topic === "shop/redact").at(-1)?.status).toBe(200);
    for (const count of [
      h.prisma.productSync.count({ where: { shop: SHOP } }),
      h.prisma.webhookDelivery.count({ where: { shop: SHOP } }),
      h.prisma.importRun.count({ where: { shop: SHOP } }),
      h.prisma.syncShopStats.count({ where: { shop: SHOP } }),
      h.prisma.syncLagSample.count({ where: { shop: SHOP } }),
      h.prisma.searchIndex.count({ where: { shop: SHOP } }),
      h.prisma.shop.count({ where: { domain: SHOP } }),
      h.prisma.session.count({ where: { shop: SHOP } }),
    ])
      expect(await count).toBe(0);
    const remaining = await collectionNames();
    expect(remaining.filter((name) => recorded.includes(name) || name.startsWith(shopCollectionPrefix(SHOP)))).toEqual(
      [],
    );

    store.createProduct(sampleCatalog(1, 900)[0], { silent: true });
    await installShop(h, SHOP);
    await recordInstall(h.prisma, h.services.syncEngine["deps"].log, SHOP, "read_products");
    expect((await runImport(SHOP)).status).toBe("completed");
    expect(await indexedIds(SHOP)).toEqual(searchableGids(SHOP));
    expect(await h.services.productIndex.count(SHOP)).toBe(21);
  }, 240_000);
});
