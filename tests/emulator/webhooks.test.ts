// Webhooks as Shopify sends them: documented payload keys, HMAC accepted by @shopify/shopify-api's own
// validator (and a tampered body rejected), retries with backoff, and the switchable faults.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
// The web-api adapter, like the app (the node adapter would replace the fetch seam other files load).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import {
  customerDataRequestPayload,
  customerDeletePayload,
  customerRedactPayload,
  productPayload,
  customerPayload,
  bulkOperationFinishPayload,
  shopPayload,
  shopRedactPayload,
} from "../../tools/emulator/webhooks/payloads";
import { orderPayload } from "../../tools/emulator/webhooks/order-payload";
import { WebhookDelivery } from "../../tools/emulator/webhooks/delivery";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { shopifyLibrary } from "./admin-client";
import { requestTokenExchange } from "../../tools/emulator/auth/token-exchange-request";
import { fixturesPresent, WEBHOOK_SAMPLES } from "./fixtures";
import { signedWebhookRequest } from "../kit/signed-requests";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  valid: boolean;
}

const SHOP = "hooks.myshopify.com";
let emulator: StoreEmulator;
let receiver: Server;
let received: Received[] = [];
/** Status the receiver answers with, per call (default 200). */
let answer: () => number = () => 200;

const api = shopifyLibrary();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: "POST",
        headers: Object.entries(req.headers).map(([key, value]) => [key, String(value)] as [string, string]),
        body,
      });
      const check = await api.webhooks.validate({ rawBody: body, rawRequest: request });
      received.push({ headers: req.headers, body, valid: check.valid });
      res.statusCode = check.valid ? answer() : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address() as { port: number };
  emulator = await startStoreEmulator({
    app: { ...DEMO_APP_CREDENTIALS, appUrl: `http://127.0.0.1:${address.port}` },
    // A generous timeout: a burst of deliveries on two busy cores must not time out into retries.
    webhooks: { retryBaseMs: 20, maxAttempts: 3, timeoutMs: 5000 },
  });
  emulator.createShop(SHOP);
  // Installed (the exchange needs only a session token; the app is not involved here).
  await requestTokenExchange({
    emulatorUrl: emulator.url,
    shop: SHOP,
    sessionToken: await emulator.signSessionToken(SHOP),
    ...DEMO_APP_CREDENTIALS,
  });
});

afterAll(async () => {
  await emulator?.stop();
  receiver?.close();
});

beforeEach(() => {
  received = [];
  answer = () => 200;
  emulator.setWebhookFaults({});
});

const store = () => emulator.shop(SHOP).store;
const newProduct = (title: string) =>
  store().createProduct({
    title,
    options: ["Size"],
    variants: [{ optionValues: ["M"], price: "5.00", inventoryQuantity: 4 }],
  });

describe("delivery", () => {
  it("sends products/create with Shopify's headers and an HMAC the library accepts", async () => {
    const product = newProduct("Canvas Tote");
    await emulator.webhooks.idle();
    expect(received).toHaveLength(1);
    const [{ headers, body, valid }] = received;
    expect(valid).toBe(true);
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "products/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-07",
    });
    expect(headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["x-shopify-triggered-at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(JSON.parse(body)).toMatchObject({
      id: product.id,
      admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
    });
  });

  it("has a tampered body rejected by the library's validator", async () => {
    const record = emulator.webhooks.send({
      topic: "products/delete",
      shop: SHOP,
      url: `${emulator.app.appUrl}/x`,
      payload: { id: 1 },
    });
    await emulator.webhooks.idle();
    // The emulator's signature of the original body, on a changed body.
    const forged = await fetch(
      signedWebhookRequest({
        appUrl: emulator.app.appUrl,
        path: "/x",
        secret: DEMO_APP_CREDENTIALS.apiSecret,
        shop: SHOP,
        topic: record.topic,
        body: record.body.replace("1", "2"),
        webhookId: record.webhookId,
        hmac: received[0].headers["x-shopify-hmac-sha256"] as string,
      }),
    );
    expect(forged.status).toBe(401);
    expect(received.map((r) => r.valid)).toEqual([true, false]);
  });

  it("sends inventory and price changes as products/update, and a sale decrements inventory", async () => {
    const product = newProduct("Wool Beanie");
    const variant = product.variants[0];
    store().updateVariant(variant.id, { price: "6.50" });
    store().sell(variant.id, 3);
    expect(() => store().sell(variant.id, 5)).toThrow(/only 1 in stock/);
    await emulator.webhooks.idle();
    const updates = received
      .filter((r) => r.headers["x-shopify-topic"] === "products/update")
      .map((r) => JSON.parse(r.body));
    expect(
      updates
        .map((u) => [u.variants[0].price, u.variants[0].inventory_quantity, u.variants[0].old_inventory_quantity])
        // Concurrent deliveries may arrive in either order; each body is the state at its event.
        .sort((a, b) => b[1] - a[1]),
    ).toEqual([
      ["6.50", 4, 4],
      ["6.50", 1, 4],
    ]);
  });

  it("retries a failed delivery with backoff, keeping the webhook id", async () => {
    let calls = 0;
    answer = () => (++calls < 3 ? 500 : 200);
    const record = emulator.webhooks.send({
      topic: "products/delete",
      shop: SHOP,
      url: `${emulator.app.appUrl}/w`,
      payload: { id: 7 },
    });
    await emulator.webhooks.idle();
    expect(record.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(record.state).toBe("delivered");
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"]))).toEqual(new Set([record.webhookId]));
  });

  it("gives up after maxAttempts when the app never answers within the timeout", async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    // Its own sender with a short timeout (Shopify's is 5 s), so the test is quick.
    const impatient = new WebhookDelivery({
      apiSecret: DEMO_APP_CREDENTIALS.apiSecret,
      apiVersion: "2026-07",
      timeoutMs: 300,
      maxAttempts: 3,
      retryBaseMs: 20,
    });
    const record = impatient.send({
      topic: "products/delete",
      shop: SHOP,
      url: `http://127.0.0.1:${(slow.address() as { port: number }).port}/w`,
      payload: { id: 8 },
    });
    await impatient.idle();
    slow.closeAllConnections();
    slow.close();
    expect(record.attempts).toHaveLength(3);
    expect(record.attempts.every((a) => a.status === null && /timeout|abort/i.test(a.error ?? ""))).toBe(true);
    expect(record.state).toBe("failed");
  });
});

describe("bulk_operations/finish", () => {
  it("is sent when a bulk operation completes", async () => {
    newProduct("Bulk Finish");
    await emulator.webhooks.idle();
    received = [];
    const response = await fetch(`${emulator.url}/shops/${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": emulator.accessTokenFor(SHOP) },
      body: JSON.stringify({
        query: `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { bulkOperation { id } } }`,
      }),
    });
    const id = (await response.json()).data.bulkOperationRunQuery.bulkOperation.id;
    for (let i = 0; i < 100 && !received.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await emulator.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(received[0].headers["x-shopify-topic"]).toBe("bulk_operations/finish");
    expect(received[0].valid).toBe(true);
    expect(JSON.parse(received[0].body)).toMatchObject({
      admin_graphql_api_id: id,
      status: "completed",
      type: "query",
      error_code: null,
    });
  });
});

describe("customer compliance topics", () => {
  it("sends customers/data_request, and customers/delete + customers/redact when a customer is deleted", async () => {
    const customer = store().createCustomer({ firstName: "Rosa", lastName: "Parks", email: "rosa@example.test" });
    emulator.requestCustomerData(SHOP, customer.id);
    emulator.deleteCustomer(SHOP, customer.id);
    expect(() => emulator.deleteCustomer(SHOP, customer.id)).toThrow(/No customer/);
    await emulator.webhooks.idle();
    const topics = received.map((r) => [
      r.headers["x-shopify-topic"],
      r.valid,
      JSON.parse(r.body).customer?.id ?? JSON.parse(r.body).id,
    ]);
    // Deliveries run concurrently: Shopify does not promise their order either.
    expect(topics.sort()).toEqual([
      ["customers/create", true, customer.id],
      ["customers/data_request", true, customer.id],
      ["customers/delete", true, customer.id],
      ["customers/redact", true, customer.id],
    ]);
  });
});

describe("orders", () => {
  it("places an order (stock checked first), then fulfils it: orders/create and orders/updated", async () => {
    const product = newProduct("Order Me");
    const variantId = product.variants[0].id;
    const customer = store().createCustomer({ firstName: "Ola", lastName: "Nordmann", email: "ola@example.test" });
    expect(() =>
      emulator.placeOrder(SHOP, {
        customerId: customer.id,
        lines: [
          { variantId, quantity: 3 },
          { variantId, quantity: 2 },
        ],
      }),
    ).toThrow(/only 4 in stock/);
    expect(store().findVariant(variantId)!.inventoryQuantity).toBe(4);
    const order = emulator.placeOrder(SHOP, { customerId: customer.id, lines: [{ variantId, quantity: 3 }] });
    emulator.fulfillOrder(SHOP, order.id, { company: "Posten", url: "https://tracking.example/1" });
    await emulator.webhooks.idle();
    const byTopic = (topic: string) =>
      received.filter((r) => r.headers["x-shopify-topic"] === topic).map((r) => JSON.parse(r.body));
    expect(byTopic("products/update").at(-1).variants[0].inventory_quantity).toBe(1);
    expect(byTopic("customers/update")).toHaveLength(1);
    const [created] = byTopic("orders/create");
    expect(created).toMatchObject({
      name: "#1001",
      financial_status: "paid",
      customer: { id: customer.id },
      total_price: "15.00",
    });
    expect(created.line_items[0]).toMatchObject({
      product_id: product.id,
      variant_id: variantId,
      quantity: 3,
      price: "5.00",
    });
    const [updated] = byTopic("orders/updated");
    expect(updated.fulfillments[0]).toMatchObject({
      status: "success",
      tracking_company: "Posten",
      tracking_url: "https://tracking.example/1",
    });
    expect(received.every((r) => r.valid)).toBe(true);
  });
});

describe("storefront checkout", () => {
  it("turns the cart and its attributes into an order: orders/create with note_attributes, then refund and cancel", async () => {
    const product = newProduct("Checkout Me");
    const { url } = await emulator.storefront(SHOP, { extensionDirs: [] });
    let cookie = "";
    const shopper = async (pathname: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}${pathname}`, {
        redirect: "manual",
        ...init,
        headers: { "Content-Type": "application/json", ...(init.headers as object), cookie },
      });
      const set = response.headers.getSetCookie().find((c) => c.startsWith("cart="));
      if (set) cookie = set.split(";")[0];
      return response;
    };
    const post = (pathname: string, body?: unknown) =>
      shopper(pathname, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await post("/cart/add.js", { items: [{ id: product.variants[0].id, quantity: 2 }] })).status).toBe(200);
    const attributes = { _aisle_conversation: "conv_abc", _aisle_group: "assistant" };
    const updated = await (await post("/cart/update.js", { attributes })).json();
    expect(updated.attributes).toEqual(attributes);
    // A refused update changes nothing; an empty value removes an attribute.
    expect((await post("/cart/update.js", { attributes: { _aisle_group: { nested: true } } })).status).toBe(422);
    expect((await (await post("/cart/update.js", { attributes: { other: "x" } })).json()).attributes).toEqual({
      ...attributes,
      other: "x",
    });
    expect((await (await post("/cart/update.js", { attributes: { other: "" } })).json()).attributes).toEqual(
      attributes,
    );
    const cartToken = (await (await shopper("/cart.js")).json()).token;

    const checkout = await post("/checkout");
    expect(checkout.status).toBe(303);
    const thanks = await shopper(checkout.headers.get("location")!);
    expect(await thanks.text()).toContain("Order #");
    expect((await (await shopper("/cart.js")).json()).item_count).toBe(0); // a new, empty cart
    await emulator.webhooks.idle();
    const created = received
      .filter((r) => r.headers["x-shopify-topic"] === "orders/create")
      .map((r) => JSON.parse(r.body))
      .at(-1);
    expect(created).toMatchObject({
      cart_token: cartToken,
      total_price: "10.00",
      note_attributes: [
        { name: "_aisle_conversation", value: "conv_abc" },
        { name: "_aisle_group", value: "assistant" },
      ],
    });
    expect(created.line_items[0]).toMatchObject({ product_id: product.id, quantity: 2 });

    emulator.refundOrder(SHOP, created.id, "4.00");
    expect(() => emulator.refundOrder(SHOP, created.id, "7.00")).toThrow(/exceeds/);
    emulator.cancelOrder(SHOP, created.id);
    await emulator.webhooks.idle();
    const [refunded, cancelled] = received
      .filter((r) => r.headers["x-shopify-topic"] === "orders/updated")
      .map((r) => JSON.parse(r.body))
      .slice(-2);
    expect(refunded.refunds[0].transactions[0]).toMatchObject({ kind: "refund", status: "success", amount: "4.00" });
    expect(refunded.cancelled_at).toBeNull();
    expect(cancelled.cancelled_at).toEqual(expect.any(String));
    expect(received.every((r) => r.valid)).toBe(true);
  });
});

describe("faults", () => {
  it("duplicates deliveries (same webhook id) when asked", async () => {
    emulator.setWebhookFaults({ duplicateRate: 1 });
    newProduct("Duplicate Me");
    await emulator.webhooks.idle();
    expect(received).toHaveLength(2);
    expect(received[0].headers["x-shopify-webhook-id"]).toBe(received[1].headers["x-shopify-webhook-id"]);
    expect(received[0].body).toBe(received[1].body);
  });

  it("drops deliveries silently when asked", async () => {
    emulator.setWebhookFaults({ dropRate: 1 });
    newProduct("Lost Forever");
    await emulator.webhooks.idle();
    expect(received).toHaveLength(0);
    expect(emulator.webhooks.log.at(-1)!.state).toBe("dropped");
  });

  it("reorders a window of deliveries (seeded, so replayable)", async () => {
    emulator.setWebhookFaults({ reorderWindow: 6 }, 42);
    const titles = ["A1", "A2", "A3", "A4", "A5", "A6"];
    for (const title of titles) newProduct(title);
    await emulator.webhooks.idle();
    const order = received.map((r) => JSON.parse(r.body).title);
    expect([...order].sort()).toEqual(titles);
    expect(order).not.toEqual(titles);
  });

  it("holds a burst and releases it at once on flush", async () => {
    emulator.setWebhookFaults({ burst: true });
    for (let i = 0; i < 20; i++) newProduct(`Burst ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(0);
    emulator.webhooks.flush();
    await emulator.webhooks.idle();
    expect(received).toHaveLength(20);
  });

  it("delays deliveries", async () => {
    emulator.setWebhookFaults({ delayMs: 150 });
    const started = Date.now();
    newProduct("Slow Coach");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(received).toHaveLength(0);
    await emulator.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe.skipIf(!fixturesPresent("documented webhook samples", WEBHOOK_SAMPLES))("payload keys", () => {
  const sample = (name: string) => JSON.parse(readFileSync(path.join(WEBHOOK_SAMPLES, name), "utf8"));
  const keys = (value: Record<string, unknown>) => Object.keys(value);

  it("products/create|update: the documented keys, in order, for the product and its variants", () => {
    const product = newProduct("Key Check");
    const payload = productPayload(product);
    for (const name of ["products-create.json", "products-update.json"]) {
      const documented = sample(name);
      expect(keys(payload)).toEqual(keys(documented));
      expect(keys((payload.variants as Record<string, unknown>[])[0])).toEqual(keys(documented.variants[0]));
      expect(keys((payload.variant_gids as Record<string, unknown>[])[0])).toEqual(keys(documented.variant_gids[0]));
    }
    expect(keys({ id: 1 })).toEqual(keys(sample("products-delete.json")));
  });

  it("orders/create: the documented keys, in order, for the order and its line items", () => {
    const product = newProduct("Keyed Order");
    const order = emulator.placeOrder(SHOP, { lines: [{ variantId: product.variants[0].id, quantity: 1 }] });
    const payload = orderPayload(store(), order, undefined);
    const documented = sample("orders-create.json");
    expect(keys(payload)).toEqual(keys(documented));
    expect(keys(payload.line_items[0])).toEqual(keys(documented.line_items[0]));
  });

  it("customers, bulk_operations/finish, app/uninstalled, shop/redact: the documented keys", () => {
    const customer = store().createCustomer({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.test" });
    expect(keys(customerPayload(customer, "USD"))).toEqual(keys(sample("customers-create.json")));
    const op = {
      id: 1,
      type: "QUERY" as const,
      status: "COMPLETED" as const,
      errorCode: null,
      createdAt: "2026-01-01T00:00:00Z",
      completedAt: "2026-01-01T00:00:01Z",
      objectCount: 1,
      rootObjectCount: 1,
      fileSize: 10,
      url: null,
      partialDataUrl: null,
      query: "",
      filePath: "",
      downloads: 0,
    };
    expect(bulkOperationFinishPayload(op)).toMatchObject({ status: "completed", type: "query", error_code: null });
    expect(keys(bulkOperationFinishPayload(op))).toEqual(keys(sample("bulk_operations-finish.json")));
    expect(keys(shopPayload(store()))).toEqual(keys(sample("app-uninstalled.json")));
    expect(keys(shopRedactPayload(store()))).toEqual(keys(sample("shop-redact.json")));
    expect(keys(customerDataRequestPayload(store(), customer, 1))).toEqual(keys(sample("customers-data_request.json")));
    expect(keys(customerRedactPayload(store(), customer))).toEqual(keys(sample("customers-redact.json")));
    expect(keys(customerDeletePayload(customer))).toEqual(keys(sample("customers-delete.json")));
  });
});
