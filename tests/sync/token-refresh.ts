// I4 (issue 14): expiring offline tokens under load. Two "processes" (two instances of the app's Shopify
// client and sync engine over one database, as two app processes share one session table) use the same
// shop's token at once. The store emulator issues tokens that live 2 seconds, so the library refreshes
// on nearly every use (it refreshes within 5 minutes of expiry) and a token expires in the middle of an
// import; its token endpoint treats a reused refresh token as Shopify does (usable until a replacement
// is used: tools/emulator/README.md, Auth). An auth failure is an Admin call that throws, a
// refresh Shopify refuses, or an import attempt spent on auth. On one store configuration (each *.test.ts
// file names one): the session table is in the configuration's database.
import type { PrismaClient } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { expireRefusedToken, shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { SHOP_PRIMARY_DOMAIN_QUERY } from "../../app/lib/storefront/storefront-shops.server";
import { SyncEngine } from "../../app/lib/sync/sync-engine.server";
import { createShopify } from "../../app/shopify.server";
import { sampleCatalog } from "../../tools/bench/sync-catalog";
import { drainSync } from "../../tools/lib/drain-sync";
import type { OpenStores, StoreConfiguration } from "../helpers/store-configurations";
import { emulatedShopOn, installShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

/** `products`: the catalog imported while its token expires (300 on SQLite and Postgres). */
export function tokenRefreshSuite(configuration: StoreConfiguration, { products }: { products: number }) {
  const label = configuration.label;
  let h: EmulatedShopHarness;
  let stores: OpenStores;
  const clients: PrismaClient[] = [];
  emulatedShopOn(
    configuration,
    (harness, opened) => {
      h = harness;
      stores = opened;
    },
    { accessTokenLifetimeSeconds: 2, bulkStartDelayMs: 2500 },
  );

  // Registered after the harness's: runs before it stops (after-hooks run in reverse order).
  afterAll(async () => {
    for (const client of clients) await client.$disconnect();
  });

  /**
   * One app process's view of Shopify: its own library instance over the shared session table, and on
   * Postgres its own database client (on SQLite one client: two in one thread would block each other).
   */
  function processEngine() {
    const prisma = configuration.ownClientPerProcess ? createPrismaClient(stores.env.DATABASE_URL) : h.prisma;
    if (prisma !== h.prisma) clients.push(prisma);
    const shopify = createShopify(h.env, prisma, h.services.log);
    return new SyncEngine({
      db: prisma,
      log: h.services.log,
      index: h.services.productIndex,
      transportFor: shopifyAppTransport(
        (shop) => shopify.unauthenticated.admin(shop),
        (session) => expireRefusedToken(prisma, session.id, session.accessToken ?? ""),
      ),
      settings: { workerConcurrency: 0, importRetryBaseMs: 1 },
    });
  }

  /** Installed, with the offline session an expiring-token install stores (refresh token, expiry). */
  async function installExpiring(shop: string) {
    h.emulator.createShop(shop);
    h.emulator.seed(shop, sampleCatalog(products));
    await installShop(h, shop);
    const [refreshToken] = [...h.emulator.shop(shop).installation!.refreshTokens.keys()];
    await h.prisma.session.update({
      where: { id: `offline_${shop}` },
      data: {
        expires: new Date(Date.now() + 2000),
        refreshToken,
        refreshTokenExpires: new Date(Date.now() + 3_600_000),
      },
    });
  }

  const authEvents = (shop: string) => {
    const events = h.emulator.authLog.filter((e) => e.shop === shop).map((e) => e.event);
    return {
      refreshed: events.filter((e) => e === "refreshed").length,
      refused: events.filter((e) => e === "refresh refused").length,
      admin401: events.filter((e) => e === "admin 401").length,
    };
  };

  describe(`I4 expiring tokens (${label})`, () => {
    it("I4 two processes refreshing the same expired token at once: 0 auth failures in 20 rounds", async () => {
      const SHOP = configuration.shop("two-refreshers");
      await installExpiring(SHOP);
      const [a, b] = [processEngine(), processEngine()];
      const failures: unknown[] = [];
      for (let round = 0; round < 20; round++) {
        await h.prisma.session.update({
          where: { id: `offline_${SHOP}` },
          data: { expires: new Date(Date.now() - 1000) },
        });
        await Promise.all(
          [a, b, a, b].map(async (engine) => {
            try {
              const admin = await engine.adminFor(SHOP);
              await admin.query(SHOP_PRIMARY_DOMAIN_QUERY);
            } catch (error) {
              failures.push(error);
            }
          }),
        );
      }
      const events = authEvents(SHOP);
      console.info(
        `[I4 ${label}] 20 rounds × 4 concurrent calls: ${failures.length} failures; ${JSON.stringify(events)}`,
      );
      expect(failures).toEqual([]);
      expect(events.refused).toBe(0);
      expect(events.refreshed).toBeGreaterThanOrEqual(40);
    }, 120_000);

    it("I4 a token expiring mid-import, two workers advancing it: completes with 0 auth failures", async () => {
      const SHOP = configuration.shop("mid-import");
      await installExpiring(SHOP);
      const [a, b] = [processEngine(), processEngine()];
      const run = await a.requestImport(SHOP);
      const deadline = Date.now() + 120_000;
      for (;;) {
        // Both processes take their import and sync steps at the same time, as two app processes do.
        await Promise.all([a.advanceImports(), b.advanceImports()]);
        await Promise.all([drainSync(a), drainSync(b)]);
        const current = await h.prisma.importRun.findUniqueOrThrow({ where: { id: run.id } });
        if (current.status === "completed" || current.status === "failed") break;
        if (Date.now() > deadline) throw new Error(`import stuck: ${JSON.stringify(current)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const finished = await h.prisma.importRun.findUniqueOrThrow({ where: { id: run.id } });
      const events = authEvents(SHOP);
      const seconds = ((finished.finishedAt!.getTime() - finished.startedAt.getTime()) / 1000).toFixed(1);
      console.info(
        `[I4 ${label}] import of ${products} products over ${seconds} s with 2-second tokens: ${finished.status}, attempts ${finished.attempts}; ${JSON.stringify(events)}`,
      );
      expect(finished).toMatchObject({ status: "completed", attempts: 0, error: null });
      expect(events.refused).toBe(0);
      expect(await h.services.productIndex.count(SHOP)).toBeGreaterThan(0);
    }, 180_000);
  });
}
