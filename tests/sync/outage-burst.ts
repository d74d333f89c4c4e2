// W5 and W6 (issue 14), on one database flavour (each *.test.ts file hands the suite its database):
// webhooks while the app's other services are down. The real routes and the library's HMAC check;
// Chroma is the suite's real server behind a TCP hop the test cuts (tests/helpers/switchable-proxy.ts);
// Appwrite and the LLM point at a port nothing listens on.
// W5: the burst of tools/bench/webhook-burst.ts, 500 deliveries over every topic the app subscribes to →
// every one answered 2xx, nothing lost; the answer times are printed, not asserted (the benchmark
// measures them over HTTP: `npm run bench:webhooks`). W6: the vector store down for 30 minutes of a
// simulated clock (Date only; timers stay real) → every change kept, the backlog drains when it is back.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as bulkOperationsFinish } from "../../app/routes/webhooks.bulk_operations.finish";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { action as customersDataRequest } from "../../app/routes/webhooks.customers.data_request";
import { action as customersDelete } from "../../app/routes/webhooks.customers.delete";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as customersUpdate } from "../../app/routes/webhooks.customers.update";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../app/routes/webhooks.orders.updated";
import { action as productsCreate } from "../../app/routes/webhooks.products.create";
import { action as productsDelete } from "../../app/routes/webhooks.products.delete";
import { action as productsUpdate } from "../../app/routes/webhooks.products.update";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import {
  BURST_KEPT,
  formatBurst,
  installBurstShop,
  outageBurst,
  sendBurst,
  summariseBurst,
} from "../../tools/bench/webhook-burst";
import { drainSync } from "../../tools/lib/drain-sync";
import { freePort } from "../../tools/lib/ports";
import { startSwitchableProxy, type SwitchableProxy } from "../helpers/switchable-proxy";
import { signedWebhookRequest } from "../kit/signed-requests";
import { createTestApp, type TestApp } from "../kit/test-app";
import { countEmbeddings } from "./helpers/app";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";

const SECRET = "outage-tests-secret-1f9a";
type Action = (args: ActionFunctionArgs) => Promise<Response>;
const ROUTES: Record<string, Action> = {
  "products/create": productsCreate,
  "products/update": productsUpdate,
  "products/delete": productsDelete,
  "customers/create": customersCreate,
  "customers/update": customersUpdate,
  "customers/delete": customersDelete,
  "orders/create": ordersCreate,
  "orders/updated": ordersUpdated,
  "customers/redact": customersRedact,
  "customers/data_request": customersDataRequest,
  "bulk_operations/finish": bulkOperationsFinish,
  "app/scopes_update": scopesUpdate,
  "app/uninstalled": appUninstalled,
};

export interface OutageDatabase {
  /** Undefined: a fresh SQLite database. */
  url?: string;
  drop(): Promise<void>;
}

export function outageSuite(label: string, database: () => Promise<OutageDatabase>) {
  let chroma: SwitchableProxy;
  let db: OutageDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await database();
    chroma = await startSwitchableProxy(inject("chromaUrl"));
    const nothing = `http://127.0.0.1:${await freePort()}/v1`;
    app = createTestApp({
      ...(db.url ? { DATABASE_URL: db.url } : {}),
      SHOPIFY_API_KEY: "outage-tests-app",
      SHOPIFY_API_SECRET: SECRET,
      CHROMA_URL: chroma.url,
      CUSTOMER_STORE: "appwrite",
      APPWRITE_ENDPOINT: nothing,
      APPWRITE_PROJECT_ID: "aisle-outage",
      APPWRITE_API_KEY: "outage-key",
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: nothing,
      LLM_API_KEY: "outage-llm-key",
    });
  });

  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
    await chroma?.close();
    await db?.drop();
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
    return (await app.call(ROUTES[topic], request)).status;
  }

  describe(`W5 a 500-delivery burst with Chroma, the LLM and Appwrite all down (${label})`, () => {
    it("W5 answers every delivery 2xx and records it (p50/p99 reported)", async () => {
      const SHOP = "burst.myshopify.com";
      const OTHER = "burst-other.myshopify.com";
      await install(SHOP);
      await install(OTHER);
      chroma.down();
      // The process also runs its workers, as a production one does: they fail against the dead services
      // and retry while the burst arrives.
      app.services.syncEngine.start();
      app.services.lifecycleJobs.start();
      onTestFinished(() => chroma.up());
      const list = outageBurst(SHOP, OTHER);
      expect(list).toHaveLength(500);
      // Shopify sends a shop's deliveries concurrently: 25 in flight at a time.
      const summary = summariseBurst(await sendBurst(list, (d) => deliver(d.shop, d.topic, d.body)));
      console.info(formatBurst(label, summary));
      expect(summary.failedByTopic).toEqual({});
      await Promise.all([app.services.syncEngine.stop(), app.services.lifecycleJobs.stop()]);
      // Nothing lost: every product change waits for the vector store, every customer/order/privacy
      // delivery is a job waiting for Appwrite (none done, none given up).
      const { prisma } = app.services;
      const rows = await prisma.productSync.findMany({ where: { shop: SHOP } });
      expect(rows).toHaveLength(BURST_KEPT.products);
      // Done without the vector store only when there was nothing to index: a product deleted before
      // it was ever indexed (181–200, if the worker saw the delete).
      const done = rows.filter((row) => !row.pending);
      expect(done.every((row) => row.deleted && !row.indexedContentHash)).toBe(true);
      expect(done.length).toBeLessThanOrEqual(20);
      expect(await prisma.lifecycleJob.count({ where: { shop: SHOP, status: { in: ["pending", "retrying"] } } })).toBe(
        BURST_KEPT.activeJobs,
      );
      chroma.up();
    }, 120_000);
  });

  describe(`W6 the vector store down for 30 minutes, simulated clock (${label})`, () => {
    it("W6 keeps every change while Chroma is down and drains the backlog when it is back", async () => {
      const SHOP = "vector-outage.myshopify.com";
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
