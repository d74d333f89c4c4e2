// Compliance and uninstall webhooks as durable jobs (issue 14, decision 102), on one database flavour:
// the real routes record a job once per webhook id; the worker of any "process" (a set of services
// over the same database) runs it to completion, with retries, resuming after its last step, never
// two at once. Each *.test.ts file hands the suite a database of its flavour.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../app/lib/logger.server";
import { LifecycleJobs, type PlanJob } from "../../app/lib/lifecycle/lifecycle-jobs.server";
import { pruneOperationalRows } from "../../app/lib/lifecycle/retention.server";
import { recordInstall } from "../../app/lib/sync/shop-lifecycle.server";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as customersDataRequest } from "../../app/routes/webhooks.customers.data_request";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { storeOfflineSession } from "../kit/installed-shop";
import { signedWebhookRequest } from "../kit/signed-requests";
import { createTestApp, TEST_APP_ENV, type TestApp } from "../kit/test-app";

type Action = (args: ActionFunctionArgs) => Promise<Response>;
const routes: Record<string, Action> = {
  "app/uninstalled": appUninstalled,
  "shop/redact": shopRedact,
  "customers/redact": customersRedact,
  "customers/data_request": customersDataRequest,
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SuiteDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface SuiteOptions {
  /**
   * Whether two app processes can be two clients in this test process. Not on SQLite: better-sqlite3
   * waits for a lock synchronously, so a second connection in the same thread would block the one
   * holding it (separate processes, as in production, wait for each other normally).
   */
  clientPerProcess: boolean;
}

export function lifecycleJobSuite(label: string, database: () => Promise<SuiteDatabase>, options: SuiteOptions) {
  describe(`lifecycle jobs (${label})`, () => {
    const opened: TestApp[] = [];
    const databases: SuiteDatabase[] = [];
    afterAll(async () => {
      for (const app of opened) await app.close();
      for (const db of databases) await db.drop();
    });

    /** A fresh database, and a function starting an app "process" over it (call it again to restart). */
    async function freshDatabase() {
      const db = await database();
      databases.push(db);
      return () => {
        const app = createTestApp({ DATABASE_URL: db.url });
        opened.push(app);
        return app;
      };
    }

    async function deliver(
      app: TestApp,
      shop: string,
      topic: string,
      body: object,
      options: { webhookId?: string; triggeredAt?: Date } = {},
    ) {
      const request = signedWebhookRequest({
        appUrl: TEST_APP_ENV.SHOPIFY_APP_URL,
        secret: TEST_APP_ENV.SHOPIFY_API_SECRET,
        shop,
        topic,
        body: JSON.stringify(body),
        webhookId: options.webhookId,
      });
      // Not covered by the HMAC: Shopify's statement of when the event happened.
      if (options.triggeredAt) request.headers.set("X-Shopify-Triggered-At", options.triggeredAt.toISOString());
      return (await app.call(routes[topic], request)).status;
    }

    /** A customer with an order summary and a conversation, in the app's customer store. */
    async function customerWithData(app: TestApp, shop: string, customerId: string) {
      const { customers } = app.services;
      await customers.webhooks.customerUpsert(
        shop,
        JSON.stringify({ id: Number(customerId), first_name: "Ada", updated_at: "2026-11-01T10:00:00Z" }),
      );
      const chat = await customers.openConversation({ shop, visitorId: `v-${customerId}`, customerId });
      await customers.appendMessage({ shop, conversationId: chat.id, role: "user", text: "where is my parcel?" });
    }

    const redactBody = (shop: string, customerId: string) => ({
      shop_id: 1,
      shop_domain: shop,
      customer: { id: Number(customerId), email: "ada@example.com", phone: "+1 555 0100" },
      orders_to_redact: [],
    });

    /** A shop that was installed, then uninstalled `ago` ms before now, with rows in every store. */
    async function uninstalledShop(app: TestApp, shop: string, ago = 48 * HOUR) {
      const { prisma } = app.services;
      await prisma.shop.create({ data: { domain: shop, installedAt: new Date(Date.now() - 30 * DAY) } });
      await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date(Date.now() - ago) } });
      await prisma.productSync.create({ data: { shop, productId: "gid://shopify/Product/1", pending: false } });
      await prisma.assistantSettings.create({
        data: {
          shop,
          persona: "p",
          tone: "friendly",
          answerLength: "short",
          indexedFieldsJson: "[]",
          widgetTitle: "t",
          widgetGreeting: "g",
          widgetPlaceholder: "x",
        },
      });
      await customerWithData(app, shop, "5501");
    }

    async function shopTraces(app: TestApp, shop: string) {
      const { prisma, customers } = app.services;
      const counts = await customers.store.countRecords({ shop });
      return {
        shop: await prisma.shop.count({ where: { domain: shop } }),
        products: await prisma.productSync.count({ where: { shop } }),
        settings: await prisma.assistantSettings.count({ where: { shop } }),
        sessions: await prisma.session.count({ where: { shop } }),
        customerRecords: counts.customers + counts.conversations + counts.messages,
      };
    }

    it("records a compliance webhook once per webhook id: a duplicate delivery answers 200 and adds nothing", async () => {
      const start = await freshDatabase();
      const app = start();
      const shop = "duplicate.myshopify.com";
      const webhookId = randomUUID();
      for (let i = 0; i < 3; i++) {
        expect(await deliver(app, shop, "customers/redact", redactBody(shop, "7001"), { webhookId })).toBe(200);
      }
      const jobs = await app.services.prisma.lifecycleJob.findMany({ where: { shop } });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ webhookId, topic: "customers/redact", status: "pending" });
      // Only what the job needs is kept: no email or phone from the body.
      expect(jobs[0].input).toBe(JSON.stringify({ customerId: "7001" }));
      expect(await app.services.lifecycleJobs.drain()).toBe(1);
      expect(await app.services.lifecycleJobs.drain()).toBe(0);
    });

    it("survives a restart: a pending job and one claimed by a process that died are run by the next process", async () => {
      const start = await freshDatabase();
      const first = start();
      const shop = "restart.myshopify.com";
      await customerWithData(first, shop, "7101");
      await customerWithData(first, shop, "7102");
      expect(await deliver(first, shop, "customers/redact", redactBody(shop, "7101"))).toBe(200);
      const claimed = randomUUID();
      expect(await deliver(first, shop, "customers/redact", redactBody(shop, "7102"), { webhookId: claimed })).toBe(
        200,
      );
      // What a worker that died mid-job leaves: the job "running" under a lease that has run out.
      await first.services.prisma.lifecycleJob.update({
        where: { webhookId: claimed },
        data: { status: "running", leaseOwner: "process-that-died", leaseUntil: new Date(Date.now() - 1000) },
      });
      await first.close();

      const second = start();
      expect(await second.services.lifecycleJobs.drain()).toBe(2);
      const jobs = await second.services.prisma.lifecycleJob.findMany({ where: { shop } });
      expect(jobs.map((job) => [job.status, job.input])).toEqual([
        ["done", "{}"],
        ["done", "{}"],
      ]);
      for (const customerId of ["7101", "7102"]) {
        const left = await second.services.customers.store.countRecords({ shop, customerId });
        expect(left.customers + left.conversations + left.messages).toBe(0);
      }
    });

    it("retries a step that fails (vector store down) with backoff, resumes after the last finished step, loses nothing", async () => {
      const start = await freshDatabase();
      const app = start();
      const shop = "vector-store-down.myshopify.com";
      await uninstalledShop(app, shop);
      let clock = new Date();
      const log = createLogger("silent");
      const lines: unknown[] = [];
      for (const level of ["info", "warn", "error"] as const) {
        vi.spyOn(log, level).mockImplementation(((line: unknown) => void lines.push(line)) as never);
      }
      const jobs = new LifecycleJobs({ ...app.services.lifecycleJobs.deps, log, now: () => clock });
      const { productIndex, customers } = app.services;
      const dropShop = vi.spyOn(productIndex, "dropShop").mockRejectedValue(new Error("vector store unreachable"));
      const deleteShopData = vi.spyOn(customers, "deleteShopData");
      try {
        expect(await deliver(app, shop, "shop/redact", { shop_id: 1, shop_domain: shop })).toBe(200);
        clock = new Date();
        expect(await jobs.drain()).toBe(1);
        const [job] = await app.services.prisma.lifecycleJob.findMany({ where: { shop } });
        expect(job).toMatchObject({ status: "retrying", attempts: 1, lastError: "vector store unreachable" });
        expect(job.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
        expect(await jobs.drain()).toBe(0); // not due yet: backoff
        // Nothing was deleted while the first step failed: the rows still say what to delete.
        expect(await shopTraces(app, shop)).toMatchObject({ shop: 1, products: 1, settings: 1 });

        // The vector store is back; then the customer store fails once.
        dropShop.mockRestore();
        const dropped = vi.spyOn(productIndex, "dropShop");
        deleteShopData.mockRejectedValueOnce(new Error("customer store unreachable"));
        clock = new Date(job.nextAttemptAt.getTime() + 1);
        expect(await jobs.drain()).toBe(1);
        expect(
          await app.services.prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId: job.webhookId } }),
        ).toMatchObject({
          status: "retrying",
          attempts: 2,
          stepsDone: 1,
          lastError: "customer store unreachable",
        });
        clock = new Date(clock.getTime() + DAY);
        expect(await jobs.drain()).toBe(1);
        expect(dropped).toHaveBeenCalledTimes(1); // resumed after the finished step, not from the start
        expect(await app.services.lifecycleJobs.list(shop)).toEqual([
          expect.objectContaining({ status: "done", attempts: 3, outcome: "redacted" }),
        ]);
        expect(await shopTraces(app, shop)).toEqual({
          shop: 0,
          products: 0,
          settings: 0,
          sessions: 0,
          customerRecords: 0,
        });
        // One line per transition, and none carries the body's personal data.
        const statuses = lines.map((line) => (line as { status?: string }).status).filter(Boolean);
        expect(statuses).toEqual(["running", "retrying", "running", "retrying", "running", "done"]);
        expect(JSON.stringify(lines)).not.toMatch(/5501|ada@example\.com/);
      } finally {
        vi.restoreAllMocks();
      }
    });

    it("J9 a failed job retried from the dashboard runs again from its last finished step, with a fresh budget", async () => {
      const start = await freshDatabase();
      const app = start();
      const shop = "retry-failed.myshopify.com";
      await uninstalledShop(app, shop);
      const jobs = new LifecycleJobs({ ...app.services.lifecycleJobs.deps, settings: { maxAttempts: 1 } });
      // The customer store fails the second step: the one attempt allowed is spent, the job is failed.
      const deleteShopData = vi
        .spyOn(app.services.customers, "deleteShopData")
        .mockRejectedValueOnce(new Error("customer store unreachable"));
      const dropShop = vi.spyOn(app.services.productIndex, "dropShop");
      try {
        expect(await deliver(app, shop, "shop/redact", { shop_id: 1, shop_domain: shop })).toBe(200);
        expect(await jobs.drain()).toBe(1);
        const [failed] = await app.services.lifecycleJobs.list(shop);
        expect(failed).toMatchObject({ status: "failed", attempts: 1, lastError: "customer store unreachable" });
        expect(await jobs.drain()).toBe(0); // a failed job waits for a person
        // Only the shop's own failed job can be retried.
        expect(await jobs.retry("someone-else.myshopify.com", failed.webhookId)).toBe(false);
        expect(await jobs.retry(shop, failed.webhookId)).toBe(true);
        expect(await jobs.retry(shop, failed.webhookId)).toBe(false); // no longer failed
        expect(await app.services.lifecycleJobs.list(shop)).toEqual([
          expect.objectContaining({ status: "retrying", attempts: 0 }),
        ]);
        expect(await jobs.drain()).toBe(1);
        expect(await app.services.lifecycleJobs.list(shop)).toEqual([
          expect.objectContaining({ status: "done", attempts: 1, outcome: "redacted" }),
        ]);
        expect(dropShop).toHaveBeenCalledTimes(1); // the finished first step did not run again
        expect(deleteShopData).toHaveBeenCalledTimes(2);
        expect(await shopTraces(app, shop)).toMatchObject({ shop: 0, settings: 0, customerRecords: 0 });
      } finally {
        vi.restoreAllMocks();
      }
    });

    it("never lets two processes run the same job: one claims it, the other finds nothing while the lease holds", async () => {
      const start = await freshDatabase();
      const [a, b] = [start(), start()];
      const shop = "two-workers.myshopify.com";
      let runs = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const plan: PlanJob = () => ({
        steps: [
          {
            name: "slow",
            run: async () => {
              runs++;
              await gate;
            },
          },
        ],
      });
      const workerA = new LifecycleJobs({ db: a.services.prisma, log: a.services.log, plan });
      const workerB = new LifecycleJobs({
        db: options.clientPerProcess ? b.services.prisma : a.services.prisma,
        log: b.services.log,
        plan,
      });
      for (let i = 0; i < 3; i++) {
        expect(await deliver(a, shop, "customers/redact", redactBody(shop, `730${i}`))).toBe(200);
      }
      // Both race for the first job; jobs of one shop run in order, so the others wait for it.
      const racing = [workerA.runOnce(), workerB.runOnce()];
      await vi.waitFor(() => expect(runs).toBe(1));
      expect(await workerB.runOnce()).toBe(false);
      expect(await workerA.runOnce()).toBe(false);
      release();
      expect((await Promise.all(racing)).sort()).toEqual([false, true]);
      expect(await workerA.drain()).toBe(2);
      expect(runs).toBe(3);
      expect(await b.services.prisma.lifecycleJob.count({ where: { shop, status: "done" } })).toBe(3);
    });

    it("redacts nothing of a shop installed again after the event, and a late uninstall does not undo the reinstall", async () => {
      const start = await freshDatabase();
      const app = start();
      const { prisma, lifecycleJobs, log } = app.services;
      const shop = "reinstalled-lifecycle.myshopify.com";
      await prisma.shop.create({ data: { domain: shop, installedAt: new Date(Date.now() - 30 * DAY) } });
      await prisma.productSync.create({ data: { shop, productId: "gid://shopify/Product/9", pending: false } });
      await customerWithData(app, shop, "5501");
      const uninstalledAt = new Date(Date.now() - 2 * HOUR);
      expect(
        await deliver(app, shop, "app/uninstalled", { id: 1, myshopify_domain: shop }, { triggeredAt: uninstalledAt }),
      ).toBe(200);
      // The merchant installs again before any worker ran the uninstall job.
      await recordInstall(prisma, log, shop, "read_products");
      await storeOfflineSession(prisma, shop);
      expect(
        await deliver(
          app,
          shop,
          "shop/redact",
          { shop_id: 1, shop_domain: shop },
          { triggeredAt: new Date(Date.now() - HOUR) },
        ),
      ).toBe(200);
      expect(await lifecycleJobs.drain()).toBe(2);
      expect(await shopTraces(app, shop)).toEqual({
        shop: 1,
        products: 1,
        settings: 0,
        sessions: 1,
        customerRecords: 3,
      });
      expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
      expect((await lifecycleJobs.list(shop)).map((job) => [job.topic, job.status, job.outcome])).toEqual([
        ["shop/redact", "done", "installed again since the event: nothing deleted"],
        ["app/uninstalled", "done", "installed again since the event: nothing changed"],
      ]);
    });

    it("runs an app/uninstalled before the shop/redact that follows it, and the redact then deletes everything", async () => {
      const start = await freshDatabase();
      const app = start();
      const { prisma, lifecycleJobs } = app.services;
      const shop = "in-order.myshopify.com";
      await prisma.shop.create({ data: { domain: shop, installedAt: new Date(Date.now() - 30 * DAY) } });
      await storeOfflineSession(prisma, shop);
      await customerWithData(app, shop, "5601");
      const at = Date.now() - 3 * HOUR;
      // Delivered in the opposite order (a retried uninstall can arrive after the redact).
      expect(
        await deliver(
          app,
          shop,
          "shop/redact",
          { shop_id: 1, shop_domain: shop },
          { triggeredAt: new Date(at + HOUR) },
        ),
      ).toBe(200);
      expect(
        await deliver(app, shop, "app/uninstalled", { id: 1, myshopify_domain: shop }, { triggeredAt: new Date(at) }),
      ).toBe(200);
      expect(await lifecycleJobs.drain()).toBe(2);
      expect(await shopTraces(app, shop)).toEqual({
        shop: 0,
        products: 0,
        settings: 0,
        sessions: 0,
        customerRecords: 0,
      });
    });

    it("prunes only rows older than their retention: deliveries, lag samples, finished jobs, data exports", async () => {
      const start = await freshDatabase();
      const app = start();
      const { prisma, customers, log } = app.services;
      const shop = "retention-rows.myshopify.com";
      const now = new Date();
      const ago = (days: number) => new Date(now.getTime() - days * DAY);
      await prisma.webhookDelivery.createMany({
        data: [
          { webhookId: "old-delivery", shop, topic: "PRODUCTS_UPDATE", receivedAt: ago(31) },
          { webhookId: "new-delivery", shop, topic: "PRODUCTS_UPDATE", receivedAt: ago(29) },
        ],
      });
      await prisma.syncLagSample.createMany({
        data: [
          { shop, lagMs: 1, recordedAt: ago(8) },
          { shop, lagMs: 2, recordedAt: ago(6) },
        ],
      });
      const job = { shop, topic: "customers/redact", eventAt: ago(40) };
      await prisma.lifecycleJob.createMany({
        data: [
          { ...job, webhookId: "old-done", status: "done", finishedAt: ago(31) },
          { ...job, webhookId: "new-done", status: "done", finishedAt: ago(29) },
          { ...job, webhookId: "old-failed", status: "failed", finishedAt: ago(31) },
        ],
      });
      for (const [requestId, days] of [
        ["old-export", 31],
        ["new-export", 29],
      ] as const) {
        await customers.store.saveDataExport({ shop, customerId: "1", requestId, createdAt: ago(days), json: "{}" });
      }

      const pruned = await pruneOperationalRows(prisma, log, { webhookDeliveryDays: 30, syncLagSampleDays: 7 }, now);
      expect(pruned).toEqual({ deliveries: 1, lifecycleJobs: 1, lagSamples: 1 });
      expect((await prisma.webhookDelivery.findMany({ where: { shop } })).map((d) => d.webhookId)).toEqual([
        "new-delivery",
      ]);
      expect((await prisma.syncLagSample.findMany({ where: { shop } })).map((s) => s.lagMs)).toEqual([2]);
      expect(
        (await prisma.lifecycleJob.findMany({ where: { shop }, orderBy: { webhookId: "asc" } })).map(
          (j) => j.webhookId,
        ),
      ).toEqual(["new-done", "old-failed"]);
      // The app's settings: exports (30 days by default) go with the customer retention purge.
      expect(app.env.DATA_EXPORT_RETENTION_DAYS).toBe(30);
      expect(await customers.purgeExpiredExports()).toBe(1);
      expect((await customers.listDataExports(shop)).items.map((e) => e.requestId)).toEqual(["new-export"]);
    });

    it("getImportProgress answers a shop about its own imports only", async () => {
      const start = await freshDatabase();
      const app = start();
      const { prisma, syncEngine } = app.services;
      const run = await prisma.importRun.create({ data: { shop: "owner.myshopify.com", status: "requested" } });
      expect(await syncEngine.importProgress("owner.myshopify.com", run.id)).toMatchObject({ id: run.id });
      expect(await syncEngine.importProgress("intruder.myshopify.com", run.id)).toBeNull();
    });
  });
}
