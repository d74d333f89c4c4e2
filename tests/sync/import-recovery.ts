// Imports that recover by themselves (issue 14, check I2): Shopify's export fails, is refused or
// expires, its result file is gone — the run retries with backoff (a new export when the old one
// cannot help) within a budget, and a shop whose imports all failed gets a new one. Against the
// store emulator (real bulk operations, JSONL over HTTP), the configuration's database (each *.test.ts
// file names one), the suite's Chroma and the local embedder; the engines here run no timers, so every
// step is taken by the test.
import { describe, expect, it, onTestFinished } from "vitest";
import type { ImportRun } from "@prisma/client";
import { shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { SyncEngine, type SyncSettings } from "../../app/lib/sync/sync-engine.server";
import type { FetchFunction } from "../../app/lib/shopify/bulk-operation.server";
import { sampleCatalog } from "../../tools/bench/sync-catalog";
import { drainSync } from "../../tools/lib/drain-sync";
import type { StoreConfiguration } from "../helpers/store-configurations";
import { emulatedShopOn, installShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

export function importRecoveryChecks(configuration: StoreConfiguration) {
  let h: EmulatedShopHarness;
  emulatedShopOn(configuration, (started) => (h = started));

  function engineFor(settings: Partial<SyncSettings>, fetchResult?: FetchFunction) {
    return new SyncEngine({
      db: h.prisma,
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
  });
}
