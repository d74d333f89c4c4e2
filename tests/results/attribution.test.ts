// Order attribution end to end through the real webhook routes and the lifecycle worker (decisions 108,
// 112), on SQLite (conversations in Prisma or Appwrite) and, when the run has one, Postgres: replays,
// out-of-order updates, orders without attributes, forged conversation ids, refunds, cancellations, and
// what the privacy topics remove.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../app/routes/webhooks.orders.updated";
import { action as shopRedact } from "../../app/routes/webhooks.shop.redact";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { createTestDatabase } from "../helpers/database";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";
import { signedWebhookRequest } from "../kit/signed-requests";
import { createTestApp, type TestApp } from "../kit/test-app";
import { orderBody, SHOWN } from "./order-body";

type Action = (args: ActionFunctionArgs) => Promise<Response>;
const SHOP = "results-shop.myshopify.com";

interface Flavour {
  name: string;
  /** The app's settings for this flavour (its database, its conversation store) and what tears them down. */
  open: () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }>;
}

const flavours: Flavour[] = [
  {
    name: "SQLite",
    open: async () => ({ env: { DATABASE_URL: createTestDatabase({ disconnected: true }).url }, drop: async () => {} }),
  },
  {
    // Conversations in Appwrite (the local emulator): the attribution checks them there.
    name: "SQLite, conversations in Appwrite",
    open: async () => {
      const appwrite = await startAppwriteEmulator({ projectId: "aisle-results", apiKey: "results-key" });
      return {
        env: {
          DATABASE_URL: createTestDatabase({ disconnected: true }).url,
          CUSTOMER_STORE: "appwrite",
          APPWRITE_ENDPOINT: appwrite.endpoint,
          APPWRITE_PROJECT_ID: "aisle-results",
          APPWRITE_API_KEY: "results-key",
        },
        drop: () => appwrite.stop(),
      };
    },
  },
];
if (postgresAvailable()) {
  flavours.push({
    name: "Postgres",
    open: async () => {
      const db = await createPostgresTestDatabase("aisle_results");
      await db.prisma.$disconnect();
      return { env: { DATABASE_URL: db.url }, drop: db.drop };
    },
  });
} else console.warn("Order attribution on Postgres skipped: set TEST_POSTGRES_URL (tools/ensure-postgres.sh).");

describe.each(flavours)("order attribution ($name)", (flavour) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let conversationId: string;

  beforeAll(async () => {
    const database = await flavour.open();
    drop = database.drop;
    app = createTestApp(database.env);
    const { customers } = app.services;
    conversationId = (await customers.openConversation({ shop: SHOP, visitorId: "v-1", customerId: null })).id;
    await customers.appendMessage({
      shop: SHOP,
      conversationId,
      role: "assistant",
      text: "These sunglasses suit you.",
      productIds: [`gid://shopify/Product/${SHOWN}`],
    });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  async function deliver(action: Action, topic: string, body: string, webhookId = randomUUID(), shop = SHOP) {
    const request = signedWebhookRequest({
      appUrl: app.env.SHOPIFY_APP_URL,
      secret: app.env.SHOPIFY_API_SECRET,
      shop,
      topic,
      body,
      webhookId,
    });
    expect((await app.call(action, request)).status).toBe(200);
    return app.services.lifecycleJobs.drain();
  }
  const row = (orderId: string) =>
    app.services.prisma.orderAttribution.findUnique({ where: { shop_orderId: { shop: SHOP, orderId } } });

  it("attributes an order to its conversation, with the products the assistant had shown", async () => {
    const id = "9000000000000000001";
    await deliver(
      ordersCreate,
      "orders/create",
      orderBody({ id, updatedAt: "2026-03-01T10:00:00Z", conversationId, group: "assistant" }),
    );
    const stored = await row(id);
    expect(stored).toMatchObject({ conversationId, visitorGroup: "assistant", currency: "USD", totalMinor: 7000n });
    expect(JSON.parse(stored!.chatLinesJson)).toEqual([
      { productId: SHOWN, title: "P2", quantity: 1, amountMinor: 5000 },
    ]);
  });

  it("changes nothing on a replay, whether of the delivery or of the same content", async () => {
    const id = "9000000000000000002";
    const body = orderBody({ id, updatedAt: "2026-03-01T10:00:00Z", conversationId });
    const webhookId = randomUUID();
    expect(await deliver(ordersCreate, "orders/create", body, webhookId)).toBe(1);
    const first = await row(id);
    expect(await deliver(ordersCreate, "orders/create", body, webhookId)).toBe(0); // same webhook id: no job
    expect(await deliver(ordersUpdated, "orders/updated", body)).toBe(1); // same content, new id: a no-op job
    expect(await row(id)).toEqual(first);
    const job = await app.services.prisma.lifecycleJob.findFirst({
      where: { topic: "orders/updated", shop: SHOP },
      orderBy: { createdAt: "desc" },
    });
    expect(job?.outcome).toBe("attribution unchanged");
  });

  it("ignores an older orders/updated arriving after a newer one", async () => {
    const id = "9000000000000000003";
    await deliver(ordersCreate, "orders/create", orderBody({ id, updatedAt: "2026-03-01T10:00:00Z", conversationId }));
    await deliver(
      ordersUpdated,
      "orders/updated",
      orderBody({ id, updatedAt: "2026-03-03T10:00:00Z", conversationId, refunded: "20.00" }),
    );
    await deliver(
      ordersUpdated,
      "orders/updated",
      orderBody({ id, updatedAt: "2026-03-02T10:00:00Z", conversationId, cancelledAt: "2026-03-02T10:00:00Z" }),
    );
    expect(await row(id)).toMatchObject({ refundedMinor: 2000n, cancelledAt: null });
  });

  it("keeps refunds and a cancellation from two deliveries of the same second in either order", async () => {
    const id = "9000000000000000004";
    const at = "2026-03-04T10:00:00Z";
    await deliver(ordersUpdated, "orders/updated", orderBody({ id, updatedAt: at, conversationId, cancelledAt: at }));
    await deliver(ordersUpdated, "orders/updated", orderBody({ id, updatedAt: at, conversationId, refunded: "70.00" }));
    const stored = await row(id);
    expect(stored?.refundedMinor).toBe(7000n);
    expect(stored?.cancelledAt?.toISOString()).toBe("2026-03-04T10:00:00.000Z");
  });

  it("records an order without attributes, or with a conversation this shop does not have, as unassisted", async () => {
    await deliver(
      ordersCreate,
      "orders/create",
      orderBody({ id: "9000000000000000005", updatedAt: "2026-03-01T10:00:00Z" }),
    );
    await deliver(
      ordersCreate,
      "orders/create",
      orderBody({ id: "9000000000000000006", updatedAt: "2026-03-01T10:00:00Z", conversationId: "forged_id" }),
    );
    expect(await row("9000000000000000005")).toMatchObject({ conversationId: null, chatLinesJson: "[]" });
    expect(await row("9000000000000000006")).toMatchObject({ conversationId: null, chatLinesJson: "[]" });
  });

  it("refuses an order body without a total: a guest order records nothing, a customer's keeps its record", async () => {
    const before = await app.services.prisma.orderAttribution.count();
    const bad = orderBody({ id: "9000000000000000007", updatedAt: "2026-03-01T10:00:00Z" }).replace(
      /"total_price":"70.00","total_price_set":\{.*?\}\},/,
      "",
    );
    expect(await deliver(ordersCreate, "orders/create", bad)).toBe(0);
    expect(await app.services.prisma.orderAttribution.count()).toBe(before);
    // A customer's order still feeds the assistant; the job says why Results has no figures for it.
    const customerOrder = orderBody({
      id: "9000000000000000009",
      updatedAt: "2026-03-01T10:00:00Z",
      customerId: "7000000000000000002",
    }).replace(/"total_price":"70.00","total_price_set":\{.*?\}\},/, "");
    expect(await deliver(ordersCreate, "orders/create", customerOrder)).toBe(1);
    expect(await app.services.prisma.orderAttribution.count()).toBe(before);
    expect(await app.services.customers.store.countOrders(SHOP, "7000000000000000002")).toBe(1);
    const job = await app.services.prisma.lifecycleJob.findFirst({
      where: { shop: SHOP },
      orderBy: { createdAt: "desc" },
    });
    expect(job?.outcome).toMatch(/^figures refused: total_price/);
  });

  it("customers/redact removes the customer's orders; shop/redact removes the shop's figures", async () => {
    const customerId = "7000000000000000001";
    await deliver(
      ordersCreate,
      "orders/create",
      orderBody({ id: "9000000000000000008", updatedAt: "2026-03-01T10:00:00Z", conversationId, customerId }),
    );
    await app.services.results.funnel.add(SHOP, "add_to_cart", "assistant");
    await deliver(
      customersRedact,
      "customers/redact",
      JSON.stringify({
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: Number(customerId.slice(0, 15)) },
        orders_to_redact: [],
      })
        .replace(/"customer":\{"id":\d+\}/, `"customer":{"id":${customerId}}`)
        .replace('"orders_to_redact":[]', '"orders_to_redact":[9000000000000000008]'),
    );
    expect(await row("9000000000000000008")).toBeNull();
    expect(await row("9000000000000000001")).not.toBeNull();

    await deliver(shopRedact, "shop/redact", JSON.stringify({ shop_id: 1, shop_domain: SHOP }));
    expect(await app.services.prisma.orderAttribution.count({ where: { shop: SHOP } })).toBe(0);
    expect(await app.services.prisma.resultsDailyCount.count({ where: { shop: SHOP } })).toBe(0);
  });
});
