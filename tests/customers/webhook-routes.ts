// The customer and compliance webhook routes, driven in-process with deliveries signed exactly as
// Shopify signs them (base64 HMAC-SHA256 of the raw body with the app secret) and verified by
// @shopify/shopify-api's real `webhooks.validate` (decision 093). Each test file builds the app
// (tests/kit/test-app.ts) with its customer store and hands its services to the suite.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { RecordCounts } from "../../app/lib/customers/types";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { action as customersDataRequest } from "../../app/routes/webhooks.customers.data_request";
import { action as customersDelete } from "../../app/routes/webhooks.customers.delete";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as customersUpdate } from "../../app/routes/webhooks.customers.update";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../app/routes/webhooks.orders.updated";
import type { Services } from "../../app/services.server";
import { signedWebhookRequest, webhookHmac } from "../kit/signed-requests";

const FIXTURES = path.resolve("../shared/data/shopify-fixtures/shopify-dev-docs/webhooks-2026-07");
export const fixturesPresent = existsSync(FIXTURES);
if (!fixturesPresent) console.info(`Customer webhook route tests skipped: ${FIXTURES} is absent.`);

export const APP_SECRET = "customers-webhook-test-secret";
export const APP_ENV = {
  SHOPIFY_API_KEY: "customers-webhook-test-key",
  SHOPIFY_API_SECRET: APP_SECRET,
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  LOG_LEVEL: "silent",
  NODE_ENV: "test",
};

const ZERO: RecordCounts = { customers: 0, orders: 0, conversations: 0, messages: 0, cartEvents: 0, dataExports: 0 };
const SHOP = "webhook-shop.myshopify.com";
const OTHER_SHOP = "other-shop.myshopify.com";
// The fixtures' ids, as text: JSON.parse would turn them into 706405506930370000 and friends.
const BOB = "706405506930370084";
const JOHN = "115310627314723954";

export type Action = (args: ActionFunctionArgs) => Promise<Response>;
const fixture = (name: string) => readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");

type DeliveryOptions = { shop?: string; hmac?: string; webhookId?: string };

function delivery(topic: string, body: string, options: DeliveryOptions = {}) {
  const { shop = SHOP, hmac, webhookId } = options;
  return signedWebhookRequest({
    appUrl: APP_ENV.SHOPIFY_APP_URL,
    secret: APP_SECRET,
    shop,
    topic,
    body,
    hmac,
    webhookId,
  });
}

export async function postTo(
  services: Services,
  action: Action,
  topic: string,
  body: string,
  options?: DeliveryOptions,
) {
  return action({ request: delivery(topic, body, options), params: {}, context: { services } });
}

/** The payload with a customer's numeric id replaced in the raw text (precision intact). */
const withCustomer = (raw: string, from: string, to: string) => raw.replaceAll(from, to);

export interface ResidueScanner {
  /** Everything in every store that still contains `needle` (customer id, shop domain…). */
  scan(needle: string, scope: "customer" | "shop"): Promise<{ where: string; row: string }[]>;
}

const routes: Record<string, Action> = {
  "customers.create": customersCreate,
  "customers.update": customersUpdate,
  "customers.delete": customersDelete,
  "customers.data_request": customersDataRequest,
  "customers.redact": customersRedact,
  "orders.create": ordersCreate,
  "orders.updated": ordersUpdated,
};

export function webhookRouteSuite(label: string, services: Services, residue: () => ResidueScanner) {
  const { customers } = services;
  // Customer and order records are jobs (decision 108): run them, as the worker would, before looking.
  const recordTopics = ["customers/create", "customers/update", "customers/delete", "orders/create", "orders/updated"];
  const post = async (action: Action, topic: string, body: string, options?: DeliveryOptions) => {
    const response = await postTo(services, action, topic, body, options);
    if (recordTopics.includes(topic)) await services.lifecycleJobs.drain();
    return response;
  };
  const latestOrder = async (shop: string, customerId: string) =>
    (await customers.getCustomerContext(shop, customerId))?.latestOrder ?? null;
  // The app logger's error lines: a refused payload must never pass silently.
  let errorLog: MockInstance;
  const rejections = () =>
    errorLog.mock.calls
      .filter(([, message]) => String(message).includes("payload rejected"))
      .map(([details]) => details);
  describe.skipIf(!fixturesPresent)(`customer webhook routes (${label})`, () => {
    beforeAll(async () => {
      await customers.store.ready();
      errorLog = vi.spyOn(services.log, "error");
    });
    afterAll(() => errorLog?.mockRestore());

    it("refuses a forged or unsigned delivery with 401 and writes nothing", async () => {
      const body = fixture("customers-create");
      const forged = await post(routes["customers.create"], "customers/create", body, {
        hmac: webhookHmac(body, "not-the-secret"),
      }).catch((thrown: unknown) => thrown as Response);
      expect(forged.status).toBe(401);
      const tampered = await post(routes["customers.create"], "customers/create", body.replace("Bob", "Eve"), {
        hmac: webhookHmac(body, APP_SECRET),
      }).catch((thrown: unknown) => thrown as Response);
      expect(tampered.status).toBe(401);
      expect(await customers.store.countRecords({ shop: SHOP })).toEqual(ZERO);
    });

    it("keeps a minimal profile with the exact id from customers/create, and nothing personal beyond it", async () => {
      const response = await post(routes["customers.create"], "customers/create", fixture("customers-create"));
      expect(response.status).toBe(200);
      const profile = await customers.store.getCustomer(SHOP, BOB);
      expect(profile).toMatchObject({ customerId: BOB, firstName: "Bob", tags: [], marketingConsent: "unknown" });
      expect(await customers.store.getCustomer(SHOP, "706405506930370000")).toBeNull();
      const exported = JSON.stringify(await customers.collectCustomerData(SHOP, BOB));
      for (const personal of ["bob@biller.com", "Biller", "O'Connor", "K2P 2L8", "555-555-5555", "ice cream"]) {
        expect(exported).not.toContain(personal);
      }
    });

    it("applies customers/update, ignores a replay and an older version", async () => {
      const update = JSON.stringify({
        ...JSON.parse(fixture("customers-update")),
        first_name: "Robert",
        tags: "vip, snow",
        email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in" },
        updated_at: "2022-02-01T00:00:00-05:00",
      }).replace(/706405506930370000/g, BOB); // re-serialising rounded the id; put the real one back
      expect((await post(routes["customers.update"], "customers/update", update)).status).toBe(200);
      expect((await post(routes["customers.update"], "customers/update", update)).status).toBe(200);
      // The original (older updated_at) arriving late must not roll the profile back.
      expect((await post(routes["customers.update"], "customers/update", fixture("customers-update"))).status).toBe(
        200,
      );
      expect(await customers.store.getCustomer(SHOP, BOB)).toMatchObject({
        firstName: "Robert",
        tags: ["vip", "snow"],
        marketingConsent: "subscribed",
      });
      expect((await customers.store.countRecords({ shop: SHOP })).customers).toBe(1);
    });

    it("records orders/create as a purchase summary and answers 'where is my order' for its customer only", async () => {
      const response = await post(routes["orders.create"], "orders/create", fixture("orders-create"));
      expect(response.status).toBe(200);
      const latest = await latestOrder(SHOP, JOHN);
      expect(latest).toMatchObject({ orderName: "#9999", status: "cancelled", financialStatus: "voided" });
      expect(latest?.items[0]).toEqual({ productId: "788032119674292922", title: "Aviator sunglasses", quantity: 1 });
      expect(await latestOrder(SHOP, BOB)).toBeNull();
      expect(await latestOrder(OTHER_SHOP, JOHN)).toBeNull();
      const stored = JSON.stringify(await customers.collectCustomerData(SHOP, JOHN));
      for (const personal of ["john@example.com", "123 Elm St.", "K2H7A8", "bogus", "Smith"]) {
        expect(stored).not.toContain(personal);
      }

      const updated = fixture("orders-create")
        .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
        .replace('"fulfillment_status": null', '"fulfillment_status": "fulfilled"')
        .replace(/"updated_at": "2021-12-31T19:00:00-05:00"/, '"updated_at": "2022-01-02T10:00:00-05:00"');
      expect((await post(routes["orders.updated"], "orders/updated", updated)).status).toBe(200);
      expect((await latestOrder(SHOP, JOHN))?.status).toBe("shipped");
      expect((await customers.store.countRecords({ shop: SHOP, customerId: JOHN })).orders).toBe(1);
    });

    it("ignores a guest order (no customer) and acknowledges it", async () => {
      const guest = fixture("orders-create").replace(
        /"customer": \{[\s\S]*?"default": true\s*\}\s*\}/,
        '"customer": null',
      );
      expect(guest).toContain('"customer": null');
      const before = await customers.store.countRecords({ shop: SHOP });
      expect(
        (
          await post(
            routes["orders.create"],
            "orders/create",
            guest.replace("820982911946154508", "820982911946154509"),
          )
        ).status,
      ).toBe(200);
      expect(await customers.store.countRecords({ shop: SHOP })).toEqual(before);
    });

    it("exports a customer's data on customers/data_request, once per request even when replayed", async () => {
      const chat = await customers.openConversation({ shop: SHOP, visitorId: "v1", customerId: JOHN });
      await customers.appendMessage({ shop: SHOP, conversationId: chat.id, role: "user", text: "where is my order?" });
      const body = withCustomer(fixture("customers-data_request"), "191167", JOHN).replace(
        "{shop}.myshopify.com",
        SHOP,
      );
      const webhookId = randomUUID();
      expect((await post(routes["customers.data_request"], "customers/data_request", body, { webhookId })).status).toBe(
        200,
      );
      expect((await post(routes["customers.data_request"], "customers/data_request", body, { webhookId })).status).toBe(
        200,
      );
      expect(await services.lifecycleJobs.drain()).toBe(1); // the replay recorded nothing new
      const exports = await customers.listDataExports(SHOP);
      expect(exports.items).toHaveLength(1);
      expect(exports.items[0]).toMatchObject({ customerId: JOHN, requestId: "9999" });
      const document = JSON.parse(exports.items[0].json);
      expect(document.orders[0].name).toBe("#9999");
      expect(document.conversations[0].messages[0].text).toBe("where is my order?");
    });

    it("acknowledges but ignores a compliance body for another shop, logging it as an error", async () => {
      const body = withCustomer(fixture("customers-redact"), "191167", JOHN).replace(
        "{shop}.myshopify.com",
        OTHER_SHOP,
      );
      const before = await customers.store.countRecords({ shop: SHOP, customerId: JOHN });
      const webhookId = randomUUID();
      // Acknowledged (a resend of the same bytes could never succeed), logged as an error, nothing deleted.
      expect((await post(routes["customers.redact"], "customers/redact", body, { webhookId })).status).toBe(200);
      expect(await services.lifecycleJobs.drain()).toBe(0);
      expect(rejections()).toContainEqual({
        shop: SHOP,
        topic: "CUSTOMERS_REDACT",
        webhookId,
        reason: expect.stringContaining(`shop_domain ${OTHER_SHOP} does not match`),
      });
      expect(await customers.store.countRecords({ shop: SHOP, customerId: JOHN })).toEqual(before);
    });

    // Decision 091: every topic answers a verified but unusable body the same way.
    it.each([
      ["customers.create", "customers/create", "not json", /not JSON/],
      ["customers.update", "customers/update", '{"id": 1, "updated_at": "yesterday"}', /updated_at/],
      ["customers.delete", "customers/delete", '{"email": "someone@example.com"}', /customer has no id/],
      ["customers.data_request", "customers/data_request", `{"shop_domain": "${SHOP}", "customer": {}}`, /customer/],
      ["customers.redact", "customers/redact", `{"shop_domain": "${SHOP}"}`, /customer/],
      ["orders.create", "orders/create", '{"id": 1, "name": ""}', /name/],
      [
        "orders.updated",
        "orders/updated",
        '{"id": 1, "name": "#1", "created_at": "2026-01-01T00:00:00Z", "line_items": [{"quantity": -1}]}',
        /line_items\.0\.quantity/,
      ],
    ])(
      "%s: acknowledges a malformed body with 200, logs why as an error, changes nothing",
      async (route, topic, body, why) => {
        const before = await customers.store.countRecords({ shop: SHOP });
        const webhookId = randomUUID();
        expect((await post(routes[route], topic, body, { webhookId })).status).toBe(200);
        await services.lifecycleJobs.drain();
        expect(rejections()).toContainEqual({
          shop: SHOP,
          topic: topic.toUpperCase().replace("/", "_"),
          webhookId,
          reason: expect.stringMatching(why),
        });
        expect(await customers.store.countRecords({ shop: SHOP })).toEqual(before);
      },
    );

    it("redacts everything about a customer on customers/redact: residue scan zero, replay harmless", async () => {
      const body = withCustomer(fixture("customers-redact"), "191167", JOHN).replace("{shop}.myshopify.com", SHOP);
      const before = await customers.store.countRecords({ shop: SHOP, customerId: JOHN });
      expect(before.orders + before.conversations + before.messages + before.dataExports).toBeGreaterThanOrEqual(4);
      expect((await residue().scan(JOHN, "customer")).length).toBeGreaterThanOrEqual(4); // the scan does see them
      expect((await post(routes["customers.redact"], "customers/redact", body)).status).toBe(200);
      await services.lifecycleJobs.drain();
      expect(await customers.store.countRecords({ shop: SHOP, customerId: JOHN })).toEqual(ZERO);
      expect((await post(routes["customers.redact"], "customers/redact", body)).status).toBe(200);
      await services.lifecycleJobs.drain();
      expect(await customers.store.countRecords({ shop: SHOP, customerId: JOHN })).toEqual(ZERO);
      expect(await customers.store.getCustomer(SHOP, BOB)).not.toBeNull(); // others untouched
      // Not just where the code looks: no row anywhere still mentions the customer.
      expect(await residue().scan(JOHN, "customer")).toEqual([]);
    });

    it("drops the profile and orders on customers/delete", async () => {
      await post(routes["orders.create"], "orders/create", withCustomer(fixture("orders-create"), JOHN, BOB));
      expect((await customers.store.countRecords({ shop: SHOP, customerId: BOB })).orders).toBe(1);
      expect((await post(routes["customers.delete"], "customers/delete", fixture("customers-delete"))).status).toBe(
        200,
      );
      const after = await customers.store.countRecords({ shop: SHOP, customerId: BOB });
      expect([after.customers, after.orders]).toEqual([0, 0]);
    });

    it("deletes everything of a shop for shop/redact (deleteShopData) and nothing of other shops", async () => {
      await post(routes["customers.create"], "customers/create", fixture("customers-create"));
      await post(routes["customers.create"], "customers/create", fixture("customers-create"), { shop: OTHER_SHOP });
      const anonymous = await customers.openConversation({ shop: SHOP, visitorId: "v9", customerId: null });
      await customers.appendMessage({ shop: SHOP, conversationId: anonymous.id, role: "user", text: "hello" });
      expect(await customers.store.countRecords({ shop: SHOP })).not.toEqual(ZERO);
      expect((await residue().scan(SHOP, "shop")).length).toBeGreaterThanOrEqual(3);
      await customers.deleteShopData(SHOP);
      await customers.deleteShopData(SHOP);
      expect(await customers.store.countRecords({ shop: SHOP })).toEqual(ZERO);
      expect(await residue().scan(SHOP, "shop")).toEqual([]);
      expect((await customers.store.countRecords({ shop: OTHER_SHOP })).customers).toBe(1);
    });
  });
}
