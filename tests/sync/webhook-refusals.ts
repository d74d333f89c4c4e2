// W4 (issue 14), on one store configuration (each *.test.ts file names one): deliveries that are not
// Shopify's, to every webhook route, with the shop's token expired (so nothing may try to refresh it
// before the signature is checked). Each is refused and nothing changes in any store: the app
// database, the customer store (Appwrite too), the vector store, the job and delivery tables.
//   forged HMAC, no HMAC, a body re-serialised after signing, the HMAC of another genuine delivery,
//   the library's cookie signature of the same body with the same secret → 401
//   signed but a required X-Shopify-* header missing → 400;  GET (and PUT) → 405 with Allow: POST
import { randomUUID } from "node:crypto";
import { Cookies } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainSync } from "../../tools/lib/drain-sync";
import type { OpenStores, StoreConfiguration } from "../helpers/store-configurations";
import { signedWebhookRequest, webhookHmac } from "../kit/signed-requests";
import { createTestApp, TEST_APP_ENV, type TestApp } from "../kit/test-app";
import { WEBHOOK_ROUTES, webhookSender } from "../kit/webhook-routes";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";

const SECRET = TEST_APP_ENV.SHOPIFY_API_SECRET;
const HOUR = 3_600_000;
const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"];

/** What the library's cookie signing (OAuth state cookie) makes of `value` with the app's secret. */
async function cookieSignature(value: string): Promise<string> {
  const response = { statusCode: 200, statusText: "OK", headers: {} };
  const cookies = new Cookies({ method: "GET", url: "/", headers: {} }, response, { keys: [SECRET] });
  await cookies.setAndSign("shopify_app_state", value);
  return cookies.outgoingCookieJar["shopify_app_state.sig"].value;
}

export function webhookRefusalChecks(configuration: StoreConfiguration) {
  describe(`W4 deliveries that are not Shopify's (${configuration.label})`, () => {
    const SHOP = `w4-${randomUUID().slice(0, 8)}.myshopify.com`;
    const ADA = "880022334455667701";
    let app: TestApp;
    let stores: OpenStores;
    let deliver: ReturnType<typeof webhookSender>;
    let genuineHmac: string;

    const customer = (id: string, name: string, updatedAt: string) =>
      `{"id": ${id}, "first_name": "${name}", "tags": "vip", "updated_at": "${updatedAt}"}`;
    const order = (id: string, updatedAt: string) =>
      `{"id": ${id}, "name": "#${id.slice(-4)}", "created_at": "2026-11-02T10:00:00Z", "updated_at": "${updatedAt}", ` +
      `"customer": {"id": ${ADA}}, "line_items": [{"product_id": 1, "title": "Trail jacket 1", "quantity": 1}]}`;
    const compliance = (extra: string) =>
      `{"shop_id": 1, "shop_domain": "${SHOP}", "customer": {"id": ${ADA}, "email": "ada@example.com"}, ${extra}}`;

    /** For every route, a body that would change something if it were accepted. */
    const ATTACKS: Record<string, string> = {
      "products/create": restPayload(graphqlProduct(50)),
      "products/update": restPayload(graphqlProduct(1, { title: "Forged parka", updatedAt: "2026-12-01T00:00:00Z" })),
      "products/delete": deletePayload(1),
      "customers/create": customer("880022334455667702", "Mallory", "2026-12-01T00:00:00Z"),
      "customers/update": customer(ADA, "Mallory", "2026-12-01T00:00:00Z"),
      "customers/delete": `{"id": ${ADA}}`,
      "customers/redact": compliance('"orders_to_redact": []'),
      "customers/data_request": compliance('"orders_requested": [], "data_request": {"id": 4401}'),
      "orders/create": order("990022334455667702", "2026-12-01T00:00:00Z"),
      "orders/updated": order("990022334455667701", "2026-12-01T00:00:00Z"),
      "app/uninstalled": `{"id": 1, "myshopify_domain": "${SHOP}"}`,
      "app/scopes_update": `{"id": 1, "previous": ["read_products"], "current": [], "updated_at": "2026-12-01T00:00:00Z"}`,
      "bulk_operations/finish":
        '{"admin_graphql_api_id": "gid://shopify/BulkOperation/9", "status": "completed", "error_code": null, ' +
        '"type": "query", "created_at": "2026-12-01T00:00:00Z", "completed_at": "2026-12-01T00:00:00Z"}',
      "shop/redact": `{"shop_id": 1, "shop_domain": "${SHOP}"}`,
    };

    /** Everything a delivery could change, in every store of the configuration. */
    async function state() {
      const { prisma, productIndex } = app.services;
      return {
        shopRows: await stores.scan(SHOP),
        customerRows: await stores.scan(ADA),
        jobs: await prisma.lifecycleJob.count(),
        deliveries: await prisma.webhookDelivery.count(),
        productChanges: await prisma.productSync.count({ where: { pending: true } }),
        imports: await prisma.importRun.count(),
        session: await prisma.session.findUnique({ where: { id: `offline_${SHOP}` } }),
        indexed: await productIndex.listProductIds(SHOP),
      };
    }

    beforeAll(async () => {
      stores = await configuration.open();
      app = createTestApp(stores.env);
      deliver = webhookSender(app, SECRET);
      await app.services.customers.store.ready();
    }, 60_000);

    afterAll(async () => {
      await app?.services.productIndex.dropShop(SHOP).catch(() => {});
      await app?.close();
      await stores?.close();
    });

    it("sets up an installed shop with an expired token and data in every store", async () => {
      const { prisma, syncEngine, lifecycleJobs, customers, productIndex } = app.services;
      await prisma.session.create({
        data: {
          id: `offline_${SHOP}`,
          shop: SHOP,
          state: "",
          isOnline: false,
          scope: "read_products,read_customers,read_orders",
          accessToken: "shpat_expired",
          expires: new Date(Date.now() - HOUR),
          refreshToken: "shprt_unusable",
          refreshTokenExpires: new Date(Date.now() + HOUR),
        },
      });
      await prisma.shop.create({ data: { domain: SHOP } });
      const product = restPayload(graphqlProduct(1));
      genuineHmac = webhookHmac(product, SECRET);
      expect(await deliver(SHOP, "products/create", product)).toBe(200);
      expect(await deliver(SHOP, "customers/create", customer(ADA, "Ada", "2026-11-01T10:00:00Z"))).toBe(200);
      expect(await deliver(SHOP, "orders/create", order("990022334455667701", "2026-11-02T10:00:00Z"))).toBe(200);
      expect((await drainSync(syncEngine)).embedded).toBe(1);
      expect(await lifecycleJobs.drain()).toBe(2);
      expect(await productIndex.listProductIds(SHOP)).toEqual(["gid://shopify/Product/1"]);
      expect(await customers.store.getCustomer(SHOP, ADA)).toMatchObject({ firstName: "Ada" });
      expect(await customers.store.countOrders(SHOP, ADA)).toBe(1);
    });

    it.each(Object.keys(ATTACKS))(
      "W4 %s: forged, unsigned, re-serialised, replayed and cookie-signed → 401; no header → 400; GET → 405",
      async (topic) => {
        const body = ATTACKS[topic];
        const before = await state();
        const reserialised = JSON.stringify(JSON.parse(body), null, 1);
        expect(reserialised).not.toBe(body);
        const refusals = {
          forged: await deliver(SHOP, topic, body, { hmac: webhookHmac(body, "not-the-app-secret") }),
          unsigned: await deliver(SHOP, topic, body, { hmac: null }),
          reserialised: await deliver(SHOP, topic, reserialised, { hmac: webhookHmac(body, SECRET) }),
          replayed: await deliver(SHOP, topic, body, { hmac: genuineHmac }),
          cookieSigned: await deliver(SHOP, topic, body, { hmac: await cookieSignature(body) }),
        };
        expect(refusals).toEqual({ forged: 401, unsigned: 401, reserialised: 401, replayed: 401, cookieSigned: 401 });

        const missing: Record<string, number> = {};
        for (const header of REQUIRED_HEADERS) {
          const request = signedWebhookRequest({
            appUrl: app.env.SHOPIFY_APP_URL,
            secret: SECRET,
            shop: SHOP,
            topic,
            body,
          });
          request.headers.delete(header);
          missing[header] = (await app.call(WEBHOOK_ROUTES[topic].action, request)).status;
        }
        expect(missing).toEqual(Object.fromEntries(REQUIRED_HEADERS.map((header) => [header, 400])));

        const url = new URL(`/webhooks/${topic}`, app.env.SHOPIFY_APP_URL);
        const get = await app.call(WEBHOOK_ROUTES[topic].loader, new Request(url));
        const put = await app.call(WEBHOOK_ROUTES[topic].action, new Request(url, { method: "PUT", body }));
        expect([get.status, get.headers.get("Allow"), put.status, put.headers.get("Allow")]).toEqual([
          405,
          "POST",
          405,
          "POST",
        ]);

        // Nothing was recorded for a worker to run later, and no store changed.
        expect(await app.services.lifecycleJobs.drain()).toBe(0);
        expect((await drainSync(app.services.syncEngine)).claimed).toBe(0);
        expect(await state()).toEqual(before);
      },
    );

    it("W4 control: the same kind of delivery, signed by Shopify, is accepted and changes the stores", async () => {
      const before = await state();
      expect(await deliver(SHOP, "customers/update", ATTACKS["customers/update"])).toBe(200);
      expect(await app.services.lifecycleJobs.drain()).toBe(1);
      expect(await app.services.customers.store.getCustomer(SHOP, ADA)).toMatchObject({ firstName: "Mallory" });
      const after = await state();
      expect(after.customerRows).not.toEqual(before.customerRows);
      console.info(
        `[W4 ${configuration.label}] ${Object.keys(ATTACKS).length} routes × 5 bad signatures → 401, × ` +
          `${REQUIRED_HEADERS.length} missing headers → 400, GET/PUT → 405; stores unchanged ` +
          `(${before.shopRows.length} rows naming the shop, ${before.customerRows.length} naming the customer)`,
      );
    });
  });
}
