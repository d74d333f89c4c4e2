// Imports that recover by themselves (issue 14, check I2): Shopify's export fails, is refused or
// expires, its result file is gone — the run retries with backoff (a new export when the old one
// cannot help) within a budget, and a shop whose imports all failed gets a new one. An export that
// fails part-way has its partial result indexed, never taken for the catalog; the app's bulk queries
// at Shopify's cap make the run wait; two processes asking at once get one run and one export
// (decision 122). Against the
// store emulator (real bulk operations, JSONL over HTTP), the configuration's database (each *.test.ts
// file names one), the suite's Chroma and the local embedder; the engines here run no timers, so every
// step is taken by the test.
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import type { ImportRun, PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { SyncEngine, type SyncSettings } from "../../app/lib/sync/sync-engine.server";
import type { FetchFunction } from "../../app/lib/shopify/bulk-operation.server";
import { sampleCatalog } from "../../tools/bench/sync-catalog";
import { drainSync } from "../../tools/lib/drain-sync";
import type { OpenStores, StoreConfiguration } from "../helpers/store-configurations";
import { emulatedShopOn, installShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

export function importRecoveryChecks(configuration: StoreConfiguration) {
  let h: EmulatedShopHarness;
  let stores: OpenStores;
  const clients: PrismaClient[] = [];
  emulatedShopOn(configuration, (started, opened) => {
    h = started;
    stores = opened;
  });
  // Registered after the harness's: runs before it stops (after-hooks run in reverse order).
  afterAll(async () => {
    for (const client of clients) await client.$disconnect();
  });

  function engineFor(settings: Partial<SyncSettings>, fetchResult?: FetchFunction, db = h.prisma) {
    return new SyncEngine({
      db,
      log: h.services.log,
      index: h.services.productIndex,
      transportFor: shopifyAppTransport((shop) => h.services.shopify.unauthenticated.admin(shop)),
      fetchResult,
      settings: { workerConcurrency: 0, importRetryBaseMs: 1, ...settings },
    });
  }

  async function newShop(domain: string, products = 12) {
    h.emulator.createShop(domain);
    h.emulator.seed(domain, sampleCatalog(products));
    await installShop(h, domain);
    return h.emulator.shop(domain);
  }

  const latestRun = (shop: string) =>
    h.prisma.importRun.findFirstOrThrow({ where: { shop }, orderBy: { startedAt: "desc" } });

  /** Takes the engine's steps (import pass, worker drain) until the shop's latest run satisfies `done`. */
  async function stepUntil(engine: SyncEngine, shop: string, done: (run: ImportRun) => boolean): Promise<ImportRun> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      await engine.advanceImports();
      await drainSync(engine);
      const run = await latestRun(shop);
      if (done(run)) return run;
      if (Date.now() > deadline) throw new Error(`import did not get there; last run: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const finished = (run: ImportRun) => run.status === "completed" || run.status === "failed";

  const searchableGids = (shop: string) =>
    [...h.emulator.shop(shop).store.products.values()]
      .filter((p) => p.status === "active" && p.publishedAt)
      .map((p) => `gid://shopify/Product/${p.id}`)
      .sort();

  /** Another app process: on Postgres with its own database client (on SQLite one client per thread). */
  function otherProcessEngine() {
    const prisma = configuration.ownClientPerProcess ? createPrismaClient(stores.env.DATABASE_URL) : h.prisma;
    if (prisma !== h.prisma) clients.push(prisma);
    return engineFor({}, undefined, prisma);
  }

  const indexedGids = async (shop: string) => (await h.services.productIndex.listProductIds(shop)).sort();

  const exportsOf = (shop: string) =>
    h.emulator
      .shop(shop)
      .bulk.list()
      .filter((op) => op.type === "QUERY");

  describe(`I2 imports that recover by themselves (${configuration.label})`, () => {
    it("I2 exports again after Shopify's export fails (INTERNAL_SERVER_ERROR) and completes", async () => {
      const SHOP = configuration.shop("export-fails");
      const shop = await newShop(SHOP);
      shop.bulk.failNext(2);
      const engine = engineFor({});
      await engine.requestImport(SHOP);
      const run = await stepUntil(engine, SHOP, finished);
      expect(run.status).toBe("completed");
      expect(run.attempts).toBe(2);
      expect(exportsOf(SHOP).map((op) => op.status)).toEqual(["FAILED", "FAILED", "COMPLETED"]);
      expect((await h.services.productIndex.listProductIds(SHOP)).sort()).toEqual(searchableGids(SHOP));
    }, 180_000);

    it("I2 makes a new export when the result file has expired (403) instead of downloading it forever", async () => {
      const SHOP = configuration.shop("result-expired");
      const shop = await newShop(SHOP);
      const downloads: number[] = [];
      // Seven days pass just as the app starts reading the file: the storage refuses the signed URL.
      const engine = engineFor({}, async (url) => {
        if (!downloads.length) shop.bulk.expireResults();
        const response = await fetch(url);
        downloads.push(response.status);
        return response;
      });
      await engine.requestImport(SHOP);
      const run = await stepUntil(engine, SHOP, finished);
      expect(run.status).toBe("completed");
      expect(downloads).toEqual([403, 200]);
      expect(run.attempts).toBe(1);
      expect(exportsOf(SHOP).map((op) => op.status)).toEqual(["EXPIRED", "COMPLETED"]);
      expect((await h.services.productIndex.listProductIds(SHOP)).sort()).toEqual(searchableGids(SHOP));
    }, 180_000);

    it("I2 exports again when the export itself expired before it was read", async () => {
      const SHOP = configuration.shop("export-expired");
      const shop = await newShop(SHOP);
      const engine = engineFor({});
      // The export takes half a second, so the app sees it running (an instant one can be started,
      // finished and read in one pass, and never be seen expiring).
      h.emulator.bulkStartDelayMs = 500;
      onTestFinished(() => {
        h.emulator.bulkStartDelayMs = 0;
      });
      await engine.requestImport(SHOP);
      // The export finishes, then expires before the app looks at it again.
      await stepUntil(engine, SHOP, (run) => run.status === "exporting");
      while (exportsOf(SHOP)[0].status !== "COMPLETED") await new Promise((resolve) => setTimeout(resolve, 10));
      shop.bulk.expireResults();
      const run = await stepUntil(engine, SHOP, finished);
      expect(run.status).toBe("completed");
      expect(run.attempts).toBe(1);
      expect(exportsOf(SHOP)).toHaveLength(2);
    }, 180_000);

    it("I2 waits out its backoff, tells the merchant why and when, and goes on once the time has come", async () => {
      const SHOP = configuration.shop("backoff");
      const shop = await newShop(SHOP);
      shop.bulk.failNext(1);
      const engine = engineFor({ importRetryBaseMs: 60_000 });
      await engine.requestImport(SHOP);
      const waiting = await stepUntil(engine, SHOP, (run) => run.attempts === 1);
      const wait = waiting.retryAt!.getTime() - Date.now();
      expect(wait).toBeGreaterThan(50_000);
      expect(wait).toBeLessThanOrEqual(60_000);
      for (let i = 0; i < 3; i++) await engine.advanceImports();
      expect(exportsOf(SHOP)).toHaveLength(1);
      const progress = await engine.importProgress(SHOP);
      expect(progress).toMatchObject({ status: "requested", attempts: 1, retryAt: waiting.retryAt });
      expect(progress?.error).toMatch(/export failed \(INTERNAL_SERVER_ERROR\)/);
      // The minute passes.
      await h.prisma.importRun.update({ where: { id: waiting.id }, data: { retryAt: new Date(Date.now() - 1) } });
      const run = await stepUntil(engine, SHOP, finished);
      expect(run.status).toBe("completed");
      expect(exportsOf(SHOP)).toHaveLength(2);
    }, 180_000);

    it("I2 starts a new import for a shop whose imports all failed, and never for one imported once", async () => {
      const SHOP = configuration.shop("first-import-failed");
      const shop = await newShop(SHOP);
      shop.bulk.failNext(2);
      const engine = engineFor({ importAttempts: 2, failedImportRetryMs: 60_000 });
      await engine.requestImport(SHOP);
      const failed = await stepUntil(engine, SHOP, finished);
      expect(failed.status).toBe("failed");
      // Too early: the wait since the failure has not passed.
      expect(await engine.retryFailedFirstImports()).toBe(0);
      await h.prisma.importRun.update({
        where: { id: failed.id },
        data: { finishedAt: new Date(Date.now() - 61_000) },
      });
      expect(await engine.retryFailedFirstImports()).toBe(1);
      const run = await stepUntil(engine, SHOP, finished);
      expect(run.id).not.toBe(failed.id);
      expect(run.status).toBe("completed");
      expect((await h.services.productIndex.listProductIds(SHOP)).sort()).toEqual(searchableGids(SHOP));

      // A later failed import of a shop that has its catalog: reconciliation keeps it fresh, no retry loop.
      shop.bulk.failNext(2);
      await engine.requestImport(SHOP);
      await stepUntil(engine, SHOP, (r) => r.id !== run.id && finished(r));
      await h.prisma.importRun.updateMany({ where: { shop: SHOP }, data: { finishedAt: new Date(0) } });
      expect(await engine.retryFailedFirstImports()).toBe(0);
    }, 240_000);

    it("I2 fails at once when Shopify denies access, and after the budget when the export keeps failing", async () => {
      const DENIED = configuration.shop("access-denied");
      (await newShop(DENIED)).bulk.failNext(1, "ACCESS_DENIED");
      const engine = engineFor({ importAttempts: 3 });
      await engine.requestImport(DENIED);
      const denied = await stepUntil(engine, DENIED, finished);
      expect(denied).toMatchObject({ status: "failed", attempts: 0 });
      expect(denied.error).toMatch(/ACCESS_DENIED.*permission/);
      expect(exportsOf(DENIED)).toHaveLength(1);

      const BROKEN = configuration.shop("always-failing");
      (await newShop(BROKEN)).bulk.failNext(1000);
      await engine.requestImport(BROKEN);
      const broken = await stepUntil(engine, BROKEN, finished);
      expect(broken).toMatchObject({ status: "failed", attempts: 3, retryAt: null });
      expect(broken.error).toMatch(/INTERNAL_SERVER_ERROR.*gave up after 3 failed attempts/);
      await engine.advanceImports();
      expect(exportsOf(BROKEN)).toHaveLength(3);
    }, 180_000);

    it("I2 indexes a new shop's partial result when the export fails part-way (TIMEOUT), then exports again", async () => {
      const SHOP = configuration.shop("partial-new");
      const shop = await newShop(SHOP, 40);
      // The export fails after 50 lines, in the middle of a product.
      shop.bulk.failNext(1, "TIMEOUT", { partialLines: 50 });
      const engine = engineFor({ importRetryBaseMs: 60_000 });
      await engine.requestImport(SHOP);
      const waiting = await stepUntil(engine, SHOP, (run) => run.attempts === 1);
      const [failed] = exportsOf(SHOP);
      expect(failed).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", url: null });
      const lines = (await (await fetch(failed.partialDataUrl!)).text())
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string; __parentId?: string });
      const roots = lines.filter((line) => !line.__parentId).map((line) => line.id);
      const [cut] = roots.slice(-1);
      const searchable = new Set(searchableGids(SHOP));
      const expected = roots
        .slice(0, -1)
        .filter((id) => searchable.has(id))
        .sort();
      // Indexed meanwhile: every product of the file but the last, which the failure cut short.
      expect(lines).toHaveLength(50);
      expect(await indexedGids(SHOP)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(5);
      expect(await indexedGids(SHOP)).not.toContain(cut);
      // Not the catalog: the run waits for a new export and has not completed.
      expect(waiting).toMatchObject({ status: "requested", finishedAt: null });
      expect(waiting.error).toMatch(
        new RegExp(`export failed \\(TIMEOUT\\); ${roots.length - 1} products of its partial result indexed`),
      );
      console.info(
        `I2 partial (${configuration.label}): ${lines.length} lines, ${roots.length} products in the partial file; ` +
          `${roots.length - 1} applied, ${expected.length} searchable indexed before the new export; run ${waiting.status}`,
      );
      await h.prisma.importRun.update({ where: { id: waiting.id }, data: { retryAt: new Date(Date.now() - 1) } });
      const run = await stepUntil(engine, SHOP, finished);
      expect(run).toMatchObject({ status: "completed", attempts: 1, removedExtras: 0 });
      expect(exportsOf(SHOP).map((op) => op.status)).toEqual(["FAILED", "COMPLETED"]);
      expect(await indexedGids(SHOP)).toEqual(searchableGids(SHOP));
    }, 180_000);

    it("I2 never removes a product for missing from a partial result", async () => {
      const SHOP = configuration.shop("partial-known");
      const shop = await newShop(SHOP, 30);
      const engine = engineFor({ importRetryBaseMs: 60_000 });
      await engine.requestImport(SHOP);
      const first = await stepUntil(engine, SHOP, finished);
      expect(first.status).toBe("completed");
      const catalog = searchableGids(SHOP);
      expect(await indexedGids(SHOP)).toEqual(catalog);

      // Every attempt of the next import fails part-way; the budget is spent on the last one.
      shop.bulk.failNext(2, "INTERNAL_SERVER_ERROR", { partialLines: 12 });
      const again = engineFor({ importAttempts: 2 });
      await again.requestImport(SHOP);
      const failed = await stepUntil(again, SHOP, (run) => run.id !== first.id && finished(run));
      expect(failed).toMatchObject({ status: "failed", attempts: 2, removedExtras: 0 });
      expect(failed.error).toMatch(/partial result indexed meanwhile \(gave up after 2 failed attempts\)/);
      await drainSync(again);
      expect(await indexedGids(SHOP)).toEqual(catalog);
      const deleted = await h.prisma.productSync.count({ where: { shop: SHOP, deleted: true } });
      expect(deleted).toBe(0);
      console.info(
        `I2 partial, shop with its catalog (${configuration.label}): 2 partial exports of 12 lines; ` +
          `${catalog.length} of ${catalog.length} products still indexed, ${deleted} removed`,
      );
    }, 180_000);

    it.each(["OPERATION_IN_PROGRESS", "LIMIT_REACHED"] as const)(
      "I2 waits while the app's other bulk queries fill Shopify's cap (%s), then starts one export",
      async (code) => {
        const SHOP = configuration.shop(`bulk-cap-${code.toLowerCase().replace(/_/g, "-")}`);
        const shop = await newShop(SHOP);
        shop.bulk.answerCapWith(code);
        // Five long exports of another process of the app (API 2026-07 runs five at once per shop).
        const release = shop.bulk.hold();
        onTestFinished(release);
        for (let i = 0; i < 5; i++) {
          expect(shop.bulk.run("{ products { edges { node { id title } } } }", false).userErrors).toEqual([]);
        }
        const engine = engineFor({});
        await engine.requestImport(SHOP);
        for (let pass = 0; pass < 5; pass++) {
          await engine.advanceImports();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const waiting = await latestRun(SHOP);
        expect(waiting).toMatchObject({ status: "requested", attempts: 0, bulkOperationId: null });
        expect(waiting.error).toMatch(/waiting for .*bulk exports? of this app to finish/);
        expect(exportsOf(SHOP)).toHaveLength(5);
        release();
        const run = await stepUntil(engine, SHOP, finished);
        expect(run).toMatchObject({ status: "completed", attempts: 0 });
        // Exactly one export of its own.
        expect(exportsOf(SHOP)).toHaveLength(6);
        expect(await indexedGids(SHOP)).toEqual(searchableGids(SHOP));
        console.info(
          `I2 cap ${code} (${configuration.label}): 5 passes at the cap start 0 exports, spend 0 attempts; ` +
            `after: 1 export, completed`,
        );
      },
      180_000,
    );

    it("I2 two app processes asking for an import at the same moment get one run and start one export", async () => {
      const SHOP = configuration.shop("two-processes");
      await newShop(SHOP);
      const engines = [engineFor({}), otherProcessEngine()];
      // Each process asks twice at once (install, the merchant's button).
      const runs = await Promise.all([...engines, ...engines].map((engine) => engine.requestImport(SHOP)));
      expect(new Set(runs.map((run) => run.id)).size).toBe(1);
      for (;;) {
        await Promise.all(engines.map((engine) => engine.advanceImports()));
        await Promise.all(engines.map((engine) => drainSync(engine)));
        if (finished(await latestRun(SHOP))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await h.prisma.importRun.count({ where: { shop: SHOP } })).toBe(1);
      expect((await latestRun(SHOP)).status).toBe("completed");
      expect(exportsOf(SHOP)).toHaveLength(1);
      expect(await indexedGids(SHOP)).toEqual(searchableGids(SHOP));
      console.info(`I2 two processes (${configuration.label}): 4 requests → 1 run, 1 export, completed`);
    }, 180_000);
  });
}
