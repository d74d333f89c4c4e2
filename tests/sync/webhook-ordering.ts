// Reliability checks W2 and W3 (docs/security.md), on one store configuration (each *.test.ts file names
// one): deliveries Shopify repeats, reorders and retries, through the real webhook route (HMAC verified
// by the library), the configuration's database, the suite's Chroma and the local embedder. Orders are
// drawn from a seeded generator, so a failure can be replayed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainSync } from "../../tools/lib/drain-sync";
import { seededRandom } from "../../tools/emulator/webhooks/delivery";
import type { OpenStores, StoreConfiguration } from "../helpers/store-configurations";
import { countEmbeddings, loadApp, type LoadedApp } from "./helpers/app";
import { graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const SEED = 20261202;

/** `orders`: how many products get the five versions in W3 (1,000 on SQLite). */
export function webhookOrderingChecks(configuration: StoreConfiguration, { orders }: { orders: number }) {
  describe(`W2 and W3 deliveries Shopify repeats and reorders (${configuration.label})`, () => {
    let app: LoadedApp;
    let stores: OpenStores;
    let embedCalls: { calls: number; texts: number };
    const SHOP = configuration.shop("ordering-shop");

    beforeAll(async () => {
      stores = await configuration.open();
      app = loadApp(stores.env);
      embedCalls = countEmbeddings(app.services.embeddings.embeddings);
      await app.install(SHOP);
    });

    afterAll(async () => {
      await app?.services.productIndex.dropShop(SHOP).catch(() => {});
      await app?.close();
      await stores?.close();
    });

    it("W2: the same content under new webhook ids and newer updatedAt embeds nothing", async () => {
      const product = (updatedAt: string) => restPayload(graphqlProduct(600, { updatedAt }));
      expect(await app.deliver(SHOP, "products/update", product("2025-08-01T10:00:00Z"), { webhookId: "w2-1" })).toBe(
        200,
      );
      expect((await drainSync(app.services.syncEngine)).embedded).toBe(1);
      const before = { ...embedCalls };
      // Shopify sends products/update again with nothing searchable changed (an order, a retry under a
      // new id, an edit elsewhere on the product): 10 such deliveries.
      for (let i = 0; i < 10; i++) {
        const updatedAt = new Date(Date.parse("2025-08-01T10:00:00Z") + (i + 1) * 60_000).toISOString();
        expect(await app.deliver(SHOP, "products/update", product(updatedAt), { webhookId: `w2-again-${i}` })).toBe(
          200,
        );
      }
      const drained = await drainSync(app.services.syncEngine);
      expect({ embedded: drained.embedded, embeddingCalls: embedCalls.calls - before.calls }).toEqual({
        embedded: 0,
        embeddingCalls: 0,
      });
      expect(await app.prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "w2-" } } })).toBe(11);
      console.info(
        `[W2 ${configuration.label}] 10 new ids, same content: 0 texts embedded, 0 embedding calls; 11 recorded`,
      );
    });

    it(`W3: five versions in ${orders.toLocaleString("en")} random orders with stale retries always end on the newest`, async () => {
      const random = seededRandom(SEED);
      const ORDERS = orders;
      const started = Date.now();
      const sequences = Array.from({ length: ORDERS }, (_, o) => {
        const n = 10_000 + o;
        const versions = [1, 2, 3, 4, 5].map((v) => ({
          body: restPayload(graphqlProduct(n, { title: `Version ${v} parka`, updatedAt: `2025-07-0${v}T10:00:00Z` })),
          webhookId: `w3-${n}-${v}`,
        }));
        // Each version once in a random order, then three of them again (Shopify retries, same id) at
        // random places after their first delivery.
        const sequence = shuffled(versions, random);
        for (const retry of shuffled(versions, random).slice(0, 3)) {
          const first = sequence.indexOf(retry);
          sequence.splice(first + 1 + Math.floor(random() * (sequence.length - first)), 0, retry);
        }
        return sequence;
      });
      // Ten products' deliveries in flight at once, as Shopify sends them; each product's in its order.
      const next = { order: 0 };
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let o = next.order++; o < ORDERS; o = next.order++) {
            for (const delivery of sequences[o]) {
              const status = await app.deliver(SHOP, "products/update", delivery.body, {
                webhookId: delivery.webhookId,
              });
              if (status !== 200) throw new Error(`order ${o}: delivery ${delivery.webhookId} answered ${status}`);
            }
          }
        }),
      );
      const rows = await app.prisma.productSync.findMany({
        where: { shop: SHOP, productId: { not: "gid://shopify/Product/600" } },
        select: { productId: true, snapshot: true },
      });
      const stale = rows.filter((row) => JSON.parse(row.snapshot!).title !== "Version 5 parka").map((r) => r.productId);
      expect({ products: rows.length, stale }).toEqual({ products: ORDERS, stale: [] });
      // Every delivery recorded once: 5 per product (the retries are the same deliveries).
      expect(await app.prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "w3-" } } })).toBe(ORDERS * 5);
      console.info(
        `[W3 ${configuration.label}] ${ORDERS} of ${ORDERS} products on version 5; ${ORDERS * 8} deliveries, ` +
          `${ORDERS * 5} recorded; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }, 300_000);
  });
}
