// W5 and W6 (issue 14), on one store configuration (each *.test.ts file names one): webhooks while the
// app's other services are down. The real routes, the library's HMAC check, the configuration's
// database; Chroma is the suite's real server behind a TCP hop the test cuts
// (tests/helpers/switchable-proxy.ts); the LLM points at a port nothing listens on. On the Appwrite
// configuration the customer store's server is cut the same way (on the Prisma ones the customer store
// is the app database, which stays up).
// W5: the burst of tools/bench/webhook-burst.ts, 500 deliveries over every topic the app subscribes to →
// every one answered 2xx; the answer times are printed, not asserted (`npm run bench:webhooks` measures
// them over HTTP); when the services are back, every customer, order
// and privacy job runs and the customer store holds what the burst said. W6: the vector store down for
// 30 minutes of a simulated clock (Date only; timers stay real) → every change kept, the backlog drains
// when it is back.
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import {
  BURST_KEPT,
  formatBurst,
  installBurstShop,
  outageBurst,
  sendBurst,
  summariseBurst,
} from "../../tools/bench/webhook-burst";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { drainSync } from "../../tools/lib/drain-sync";
import { freePort } from "../../tools/lib/ports";
import type { OpenStores, StoreConfiguration } from "../helpers/store-configurations";
import { startSwitchableProxy, type SwitchableProxy } from "../helpers/switchable-proxy";
import { signedWebhookRequest } from "../kit/signed-requests";
import { createTestApp, type TestApp } from "../kit/test-app";
import { WEBHOOK_ROUTES } from "../kit/webhook-routes";
import { countEmbeddings } from "./helpers/app";

const SECRET = "outage-tests-secret-1f9a";
export function outageSuite(configuration: StoreConfiguration) {
  const label = configuration.label;
  let chroma: SwitchableProxy;
  let stores: OpenStores;
  let app: TestApp;

  beforeAll(async () => {
    stores = await configuration.open();
    chroma = await startSwitchableProxy(inject("chromaUrl"));
    const nothing = `http://127.0.0.1:${await freePort()}/v1`;
    app = createTestApp({
      ...stores.env,
      SHOPIFY_API_KEY: "outage-tests-app",
      SHOPIFY_API_SECRET: SECRET,
      CHROMA_URL: chroma.url,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: nothing,
      LLM_API_KEY: "outage-llm-key",
    });
    await app.services.customers.store.ready();
  });

  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
    await chroma?.close();
    await stores?.close();
  });

  const install = (shop: string) => installBurstShop(app.services.prisma, shop);

  let deliveries = 0;
  /** One signed delivery through the route; its HTTP status (a thrown error would fail the test). */
  async function deliver(shop: string, topic: string, body: string): Promise<number> {
    const request = signedWebhookRequest({
      appUrl: app.env.SHOPIFY_APP_URL,
      secret: SECRET,
      shop,
      topic,
      body,
      webhookId: `outage-${++deliveries}`,
    });
    return (await app.call(WEBHOOK_ROUTES[topic].action, request)).status;
  }

  const down = configuration.name === "Appwrite" ? "Chroma, the LLM and Appwrite" : "Chroma and the LLM";

  describe(`W5 a 500-delivery burst with ${down} down (${label})`, () => {
    it("W5 answers every delivery 2xx and records it (p50/p99 reported); the jobs run when the services are back", async () => {
      const SHOP = configuration.shop("burst");
      const OTHER = configuration.shop("burst-other");
      await install(SHOP);
      await install(OTHER);
      chroma.down();
      stores.appwrite?.down();
      // The process also runs its workers, as a production one does: they fail against the dead services
      // and retry while the burst arrives.
      app.services.syncEngine.start();
      app.services.lifecycleJobs.start();
      onTestFinished(() => {
        chroma.up();
        stores.appwrite?.up();
      });
      const list = outageBurst(SHOP, OTHER);
      expect(list).toHaveLength(500);
      // Shopify sends a shop's deliveries concurrently: 25 in flight at a time.
      const summary = summariseBurst(await sendBurst(list, (d) => deliver(d.shop, d.topic, d.body)));
      console.info(formatBurst(label, summary));
      expect(summary.failedByTopic).toEqual({});
      await Promise.all([app.services.syncEngine.stop(), app.services.lifecycleJobs.stop()]);
      // Nothing lost: every product change waits for the vector store; with Appwrite down every
      // customer/order/privacy delivery is a job waiting for it (none done, none given up).
      const { prisma, lifecycleJobs, customers } = app.services;
      const rows = await prisma.productSync.findMany({ where: { shop: SHOP } });
      expect(rows).toHaveLength(BURST_KEPT.products);
      // Done without the vector store only when there was nothing to index: a product deleted before
      // it was ever indexed (181–200, if the worker saw the delete).
      const done = rows.filter((row) => !row.pending);
      expect(done.every((row) => row.deleted && !row.indexedContentHash)).toBe(true);
      expect(done.length).toBeLessThanOrEqual(20);
      const jobs = (status: string[]) => prisma.lifecycleJob.count({ where: { shop: SHOP, status: { in: status } } });
      const waiting = await jobs(["pending", "retrying"]);
      if (stores.appwrite) expect(waiting).toBe(BURST_KEPT.activeJobs);
      const retried = await prisma.lifecycleJob.findMany({
        where: { shop: SHOP, attempts: { gt: 0 }, status: { not: "done" } },
        select: { lastError: true },
      });
      const reasons = [...new Set(retried.map((job) => job.lastError?.slice(0, 120)))];
      expect(await jobs(["failed"])).toBe(0);

      // The services are back and the jobs' backoff has passed: every job runs, in the order of the events.
      chroma.up();
      stores.appwrite?.up();
      await prisma.lifecycleJob.updateMany({
        where: { status: { in: ["pending", "retrying"] } },
        data: { nextAttemptAt: new Date() },
      });
      const drainStarted = performance.now();
      const ran = await lifecycleJobs.drain();
      const drainSeconds = ((performance.now() - drainStarted) / 1000).toFixed(1);
      expect({ done: await jobs(["done"]), active: await jobs(["pending", "running", "retrying", "failed"]) }).toEqual({
        done: 150,
        active: 0,
      });
      // The customer store (Appwrite's own server on that configuration) holds what the burst said:
      // 40 created, 1–5 redacted, 31–35 deleted; orders of customer n%40; exports for 6–10.
      const profiles = new Set<number>();
      const orders: Record<number, number> = {};
      for (let n = 0; n <= 40; n++) {
        if (await customers.store.getCustomer(SHOP, String(7000 + n))) profiles.add(n);
        if (n === 0 || n > 5) orders[n] = await customers.store.countOrders(SHOP, String(7000 + n));
      }
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
      expect([...profiles]).toEqual([...range(6, 30), ...range(36, 40)]);
      // Order n (1–60) belongs to customer n % 40 (0 is never created as a customer, 40 has none); those
      // of 31–35 arrive after the customer was deleted, so they are kept.
      const expectedOrders: Record<number, number> = Object.fromEntries(Object.keys(orders).map((n) => [n, 0]));
      for (let n = 1; n <= 60; n++) if (n % 40 in expectedOrders) expectedOrders[n % 40]++;
      expect(orders).toEqual(expectedOrders);
      const exports = await customers.listDataExports(SHOP);
      expect(exports.items.map((e) => e.customerId).sort()).toEqual(range(7006, 7010).map(String));
      console.info(
        `[W5 ${label}] after the burst: ${waiting} of 150 customer/order/privacy jobs waiting, ${retried.length} tried and failed (${JSON.stringify(reasons)}); when the services were back ${ran} ran in ${drainSeconds} s, 150 done, ` +
          `${profiles.size} customers, ${Object.values(orders).reduce((a, b) => a + b, 0)} orders, ${exports.items.length} exports in the customer store`,
      );
    }, 180_000);
  });

  describe(`W6 the vector store down for 30 minutes, simulated clock (${label})`, () => {
    it("W6 keeps every change while Chroma is down and drains the backlog when it is back", async () => {
      const SHOP = configuration.shop("vector-outage");
      await install(SHOP);
      const { prisma, productIndex, syncEngine } = app.services;
      const gid = (n: number) => `gid://shopify/Product/${n}`;
      // Before the outage: 20 products indexed.
      for (let n = 1; n <= 20; n++)
        expect(await deliver(SHOP, "products/create", restPayload(graphqlProduct(n)))).toBe(200);
      await drainSync(syncEngine);
      expect(await productIndex.listProductIds(SHOP)).toHaveLength(20);

      // Only Date is simulated: timers, sockets and the database run in real time.
      vi.useFakeTimers({ toFake: ["Date"] });
      const start = Date.now();
      try {
        chroma.down();
        // During the outage: 100 new products, 20 changed (new text), 10 deleted.
        const statuses: number[] = [];
        for (let n = 101; n <= 200; n++)
          statuses.push(await deliver(SHOP, "products/create", restPayload(graphqlProduct(n))));
        for (let n = 1; n <= 20; n++)
          statuses.push(
            await deliver(
              SHOP,
              "products/update",
              restPayload(graphqlProduct(n, { title: `Storm shell ${n}`, updatedAt: "2025-07-01T00:00:00Z" })),
            ),
          );
        for (let n = 11; n <= 20; n++) statuses.push(await deliver(SHOP, "products/delete", deletePayload(n)));
        expect(statuses.filter((s) => s === 200)).toHaveLength(130);

        // 30 minutes pass; the workers keep trying (every simulated minute) and back off.
        const embedded = countEmbeddings(app.services.embeddings.embeddings);
        let claimed = 0;
        for (let minute = 0; minute <= 30; minute++) {
          vi.setSystemTime(start + minute * 60_000);
          claimed += (await drainSync(syncEngine)).claimed;
        }
        const waiting = await prisma.productSync.findMany({ where: { shop: SHOP, pending: true } });
        expect(waiting).toHaveLength(120); // 100 new + 20 changed (10 of them then deleted): one row each
        expect(waiting.every((row) => row.lastError && row.attempts >= 5)).toBe(true);
        // The backoff never waits longer than SYNC_MAX_BACKOFF_SECONDS (300 s, ±jitter).
        expect(Math.max(...waiting.map((row) => row.nextAttemptAt.getTime())) - Date.now()).toBeLessThanOrEqual(
          300_000 * 1.25,
        );
        const attempts = waiting.map((row) => row.attempts);
        // A retry against a dead vector store must not pay for embeddings it cannot store.
        const embeddedWhileDown = embedded.texts;
        expect(embeddedWhileDown).toBe(0);
        console.info(
          `[W6 ${label}] 30 simulated minutes down: ${waiting.length} changes kept, ${claimed} claims failed, attempts per change ${Math.min(...attempts)}–${Math.max(...attempts)}, texts embedded ${embeddedWhileDown}`,
        );

        // Chroma is back at minute 31: the backlog drains within one backoff period (≤ 300 s + jitter).
        chroma.up();
        const drained = { claimed: 0, embedded: 0 };
        let minute = 31;
        for (; minute <= 40; minute++) {
          vi.setSystemTime(start + minute * 60_000);
          const pass = await drainSync(syncEngine);
          drained.claimed += pass.claimed;
          drained.embedded += pass.embedded;
          if (!(await prisma.productSync.count({ where: { shop: SHOP, pending: true } }))) break;
        }
        expect(await prisma.productSync.count({ where: { shop: SHOP, pending: true } })).toBe(0);
        const expected = [
          ...Array.from({ length: 10 }, (_, i) => gid(i + 1)),
          ...Array.from({ length: 100 }, (_, i) => gid(i + 101)),
        ];
        expect((await productIndex.listProductIds(SHOP)).sort()).toEqual(expected.sort());
        const state = await productIndex.state(SHOP);
        expect(await productIndex.vectorCount(state!)).toBe(110);
        const [changed] = await productIndex.catalog.read(SHOP, [gid(3)]);
        expect(changed?.text).toContain("Storm shell 3");
        console.info(
          `[W6 ${label}] after Chroma came back: drained by minute ${minute} (${minute - 31} simulated minutes after), ${drained.claimed} claimed, ${drained.embedded} embedded; 110 products and 110 vectors`,
        );
      } finally {
        chroma.up();
        vi.useRealTimers();
      }
    }, 300_000);
  });
}
