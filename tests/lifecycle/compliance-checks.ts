// C1–C5 (issue 14): the compliance checks, named, on every store the app can run on. Each *.test.ts
// file hands the suite a store set (app database flavour + customer store); the suite drives the real
// routes, the real lifecycle worker and the suite's Chroma, and then looks for residue in every store by
// scanning every row (not only where the code deletes), assistant settings included.
//   C1 customers/data_request → an export of that customer only, once per request
//   C2 customers/redact → nothing about the customer left anywhere
//   C3 shop/redact while an expired token is still stored → nothing about the shop left anywhere
//   C4 app/uninstalled with an expired token that cannot be refreshed → 200 once, sessions gone
//   C5 bad HMAC (forged, unsigned) on each compliance topic and app/uninstalled → 401, nothing recorded
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopCollectionPrefix } from "../../app/lib/search/collection-name";
import { DEFAULT_ASSISTANT_SETTINGS } from "../../app/lib/settings/assistant-settings";
import { saveAssistantSettings } from "../../app/lib/settings/settings-store.server";
import { drainSync } from "../../tools/lib/drain-sync";
import type { OpenStores } from "../helpers/store-configurations";
import { signedWebhookRequest, webhookHmac } from "../kit/signed-requests";
import { createTestApp, TEST_APP_ENV, type TestApp } from "../kit/test-app";
import { graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { WEBHOOK_ROUTES } from "../kit/webhook-routes";

const HOUR = 3_600_000;

export type ComplianceStores = Pick<OpenStores, "env" | "scan" | "close">;

export function complianceChecks(label: string, stores: () => Promise<ComplianceStores>) {
  describe(`C1–C5 compliance checks (${label})`, () => {
    const SHOP = `c-checks-${randomUUID().slice(0, 8)}.myshopify.com`;
    const ADA = "880011223344556677"; // above 2^53: kept exact from the raw body
    const BOB = "880011223344556688";
    let app: TestApp;
    let store: ComplianceStores;

    beforeAll(async () => {
      store = await stores();
      app = createTestApp(store.env);
      await app.services.customers.store.ready();
    }, 60_000);

    afterAll(async () => {
      await app?.services.productIndex.dropShop(SHOP).catch(() => {});
      await app?.close();
      await store?.close();
    });

    async function deliver(topic: string, body: string, options: { hmac?: string | null; webhookId?: string } = {}) {
      const request = signedWebhookRequest({
        appUrl: TEST_APP_ENV.SHOPIFY_APP_URL,
        secret: TEST_APP_ENV.SHOPIFY_API_SECRET,
        shop: SHOP,
        topic,
        body,
        ...options,
      });
      try {
        return (await app.call(WEBHOOK_ROUTES[topic].action, request)).status;
      } catch (thrown) {
        if (thrown instanceof Response) return thrown.status;
        throw thrown;
      }
    }

    const customerBody = (id: string, name: string) =>
      `{"id": ${id}, "first_name": "${name}", "tags": "vip", "updated_at": "2026-11-01T10:00:00Z"}`;
    const orderBody = (orderId: string, customerId: string) =>
      `{"id": ${orderId}, "name": "#${orderId.slice(-4)}", "created_at": "2026-11-02T10:00:00Z", ` +
      `"customer": {"id": ${customerId}}, "line_items": [{"product_id": 1, "title": "Trail jacket 1", "quantity": 1}]}`;
    const complianceBody = (customerId: string, extra: string) =>
      `{"shop_id": 1, "shop_domain": "${SHOP}", "customer": {"id": ${customerId}, "email": "c@example.com", "phone": null}, ${extra}}`;

    /** Expired offline token with a refresh token: nothing can refresh it here (no Shopify). */
    async function storeExpiredSession() {
      await app.services.prisma.session.upsert({
        where: { id: `offline_${SHOP}` },
        create: {
          id: `offline_${SHOP}`,
          shop: SHOP,
          state: "",
          isOnline: false,
          scope: "read_products",
          accessToken: "shpat_expired",
          expires: new Date(Date.now() - HOUR),
          refreshToken: "shprt_refused",
          refreshTokenExpires: new Date(Date.now() + HOUR),
        },
        update: { expires: new Date(Date.now() - HOUR) },
      });
    }

    it("sets up a shop with data in every store (products, vectors, settings, customers, orders, chats)", async () => {
      const { prisma, customers, syncEngine, lifecycleJobs } = app.services;
      await storeExpiredSession();
      await prisma.shop.create({ data: { domain: SHOP, installedAt: new Date(Date.now() - 30 * 24 * HOUR) } });
      for (let n = 1; n <= 3; n++) expect(await deliver("products/create", restPayload(graphqlProduct(n)))).toBe(200);
      await drainSync(syncEngine);
      const saved = await saveAssistantSettings(prisma, SHOP, { ...DEFAULT_ASSISTANT_SETTINGS, widgetTitle: "Ask us" });
      expect(saved.ok).toBe(true);
      expect(await deliver("customers/create", customerBody(ADA, "Ada"))).toBe(200);
      expect(await deliver("customers/create", customerBody(BOB, "Bob"))).toBe(200);
      expect(await deliver("orders/create", orderBody("990011223344556601", ADA))).toBe(200);
      expect(await deliver("orders/create", orderBody("990011223344556602", BOB))).toBe(200);
      await lifecycleJobs.drain();
      for (const [customerId, text] of [
        [ADA, "where is my parcel?"],
        [BOB, "do you ship to Oslo?"],
      ]) {
        const chat = await customers.openConversation({ shop: SHOP, visitorId: `v-${customerId}`, customerId });
        await customers.appendMessage({ shop: SHOP, conversationId: chat.id, role: "user", text });
        // The handoff form: the one place a shopper's email is kept (decision 124), in the app database.
        await prisma.handoffRequest.create({
          data: {
            id: randomUUID(),
            shop: SHOP,
            conversationId: chat.id,
            visitorId: `v-${customerId}`,
            customerId,
            reason: "asked_for_person",
            email: `${customerId}.handoff@example.com`,
            message: `please call me back, ${text}`,
            consentText: "I agree that the store may email me about this request.",
            packet: JSON.stringify({ reason: "asked_for_person", why: "", transcript: [], retrieved: [] }),
            createdAt: new Date(),
          },
        });
      }
      // Store knowledge (decision 125): a merchant Q&A entry (source and passage too) and the refresh state.
      expect(
        await app.services.knowledge.questions.save(SHOP, {
          question: "Do you ship to Oslo?",
          answer: "Yes, in 5 days.",
        }),
      ).toMatchObject({ ok: true });
      await prisma.knowledgeRefresh.create({ data: { shop: SHOP, refreshedAt: new Date() } });
      const knowledgeRows = (await store.scan(SHOP)).filter((r) => /Knowledge/.test(r.where));
      expect(new Set(knowledgeRows.map((r) => r.where.replace(/"/g, "")))).toEqual(
        new Set(["KnowledgeQuestion", "KnowledgeSource", "KnowledgePassage", "KnowledgeRefresh"]),
      );
      expect((await store.scan(ADA)).length).toBeGreaterThanOrEqual(3); // the scan sees the customer's rows
      expect((await store.scan(SHOP)).length).toBeGreaterThanOrEqual(8);
      expect(await app.services.productIndex.count(SHOP)).toBe(3);
    });

    it.each(["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"])(
      "C5 %s with a forged or missing HMAC: 401, no job recorded, nothing changed",
      async (topic) => {
        const body =
          topic === "app/uninstalled"
            ? `{"id": 1, "myshopify_domain": "${SHOP}"}`
            : topic === "shop/redact"
              ? `{"shop_id": 1, "shop_domain": "${SHOP}"}`
              : complianceBody(ADA, '"orders_to_redact": [], "orders_requested": [], "data_request": {"id": 42}');
        const before = await store.scan(SHOP);
        const jobs = await app.services.prisma.lifecycleJob.count();
        expect(await deliver(topic, body, { hmac: webhookHmac(body, "not-the-app-secret") })).toBe(401);
        expect(await deliver(topic, body, { hmac: null })).toBe(401);
        expect(await app.services.prisma.lifecycleJob.count()).toBe(jobs);
        expect(await app.services.lifecycleJobs.drain()).toBe(0);
        expect(await store.scan(SHOP)).toEqual(before);
      },
    );

    it("C1 customers/data_request: one export with that customer's order and chat only, once per request", async () => {
      const body = complianceBody(ADA, '"orders_requested": [], "data_request": {"id": 4242}');
      const webhookId = randomUUID();
      expect(await deliver("customers/data_request", body, { webhookId })).toBe(200);
      expect(await deliver("customers/data_request", body, { webhookId })).toBe(200);
      expect(await app.services.lifecycleJobs.drain()).toBe(1);
      const exports = await app.services.customers.listDataExports(SHOP);
      expect(exports.items).toHaveLength(1);
      expect(exports.items[0]).toMatchObject({ customerId: ADA, requestId: "4242" });
      const document = exports.items[0].json;
      expect(document).toContain("where is my parcel?");
      expect(document).toContain("#6601");
      expect(document).toContain(`${ADA}.handoff@example.com`);
      expect(document).toContain("please call me back, where is my parcel?");
      expect(document).not.toContain(BOB);
      expect(document).not.toContain("Oslo");
    });

    it("C2 customers/redact: nothing about the customer left in any store; the other customer intact", async () => {
      expect((await store.scan(ADA)).length).toBeGreaterThanOrEqual(4); // profile, order, chat, export
      expect(await deliver("customers/redact", complianceBody(ADA, '"orders_to_redact": []'))).toBe(200);
      await app.services.lifecycleJobs.drain();
      expect(await store.scan(ADA)).toEqual([]);
      expect(await store.scan(`${ADA}.handoff@example.com`)).toEqual([]);
      expect(await app.services.customers.store.getCustomer(SHOP, BOB)).not.toBeNull();
      expect(await app.services.prisma.handoffRequest.count({ where: { shop: SHOP, customerId: BOB } })).toBe(1);
    });

    it("C4 app/uninstalled with an expired token that cannot be refreshed: 200 at once, sessions gone", async () => {
      const { prisma, lifecycleJobs } = app.services;
      expect(await prisma.session.findUnique({ where: { id: `offline_${SHOP}` } })).toMatchObject({
        expires: expect.any(Date),
      });
      expect(await deliver("app/uninstalled", `{"id": 1, "myshopify_domain": "${SHOP}"}`)).toBe(200);
      await lifecycleJobs.drain();
      expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
      expect((await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeInstanceOf(Date);
    });

    it("C3 shop/redact with an expired token still stored: nothing about the shop left in any store, settings included", async () => {
      const { prisma, lifecycleJobs, vectorStore } = app.services;
      await storeExpiredSession(); // a session that outlived the uninstall (L2)
      expect(await prisma.assistantSettings.count({ where: { shop: SHOP } })).toBe(1);
      expect((await vectorStore.listCollections(shopCollectionPrefix(SHOP))).length).toBeGreaterThan(0);
      const webhookId = randomUUID();
      expect(await deliver("shop/redact", `{"shop_id": 1, "shop_domain": "${SHOP}"}`, { webhookId })).toBe(200);
      await lifecycleJobs.drain();
      // The one row left names the shop: the finished shop/redact job itself (its audit trail, no data).
      const left = await store.scan(SHOP);
      expect(left.map((r) => r.where.replace(/"/g, ""))).toEqual(["LifecycleJob"]);
      expect(left[0].row).toContain(webhookId);
      expect(await prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId } })).toMatchObject({
        status: "done",
        outcome: "redacted",
        input: "{}",
      });
      expect(await vectorStore.listCollections(shopCollectionPrefix(SHOP))).toEqual([]);
      expect(await store.scan(BOB)).toEqual([]);
      expect(await store.scan(`${BOB}.handoff@example.com`)).toEqual([]);
    });
  });
}
