// One behavioural suite for every CustomerStore backend, run through the service the app uses.
// Each backend's test file calls `customerStoreContract` with a factory for a fresh store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerService, type CustomerService } from "../../app/lib/customers/service.server";
import type { CustomerProfile, CustomerStore, OrderSummary, RecordCounts } from "../../app/lib/customers/types";

const ZERO: RecordCounts = { customers: 0, orders: 0, conversations: 0, messages: 0, cartEvents: 0, dataExports: 0 };
const DAY = 86_400_000;

export interface StoreHarness {
  store: CustomerStore;
  close(): Promise<void>;
}

/** A clock the tests move by hand, so retention and ordering never depend on timing. */
function manualClock(start = new Date("2026-11-01T10:00:00.000Z")) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(date: Date) {
      current = date.getTime();
    },
  };
}

// Ids above 2^53, as Shopify issues them: they must survive every round trip exactly.
const ALICE = "706405506930370084";
const BOB = "706405506930370085";
let shopSerial = 0;
const newShop = () => `contract-${Date.now().toString(36)}-${++shopSerial}.myshopify.com`;

function profile(shop: string, customerId: string, overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    shop,
    customerId,
    firstName: "Alice",
    tags: ["vip", "hiker"],
    orderCount: 3,
    marketingConsent: "subscribed",
    sourceUpdatedAt: new Date("2026-10-01T00:00:00.000Z"),
    ...overrides,
  };
}

function order(shop: string, customerId: string, orderId: string, overrides: Partial<OrderSummary> = {}): OrderSummary {
  return {
    shop,
    orderId,
    customerId,
    name: `#${orderId.slice(-4)}`,
    placedAt: new Date("2026-10-05T12:00:00.000Z"),
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelledAt: null,
    closedAt: null,
    items: [{ productId: "788032119674292922", title: "Aviator sunglasses", quantity: 1 }],
    fulfillments: [],
    sourceUpdatedAt: new Date("2026-10-05T12:00:00.000Z"),
    ...overrides,
  };
}

export function customerStoreContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`CustomerStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: CustomerStore;
    const clock = manualClock();
    let service: CustomerService;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
      await store.ready();
      service = createCustomerService(store, { retentionDays: 30, now: clock.now });
    });
    /** "Where is my order?": the latest order as the customer context carries it. */
    const latestOrder = async (shop: string, customerId: string) =>
      (await service.getCustomerContext(shop, customerId))?.latestOrder ?? null;
    afterAll(async () => {
      await harness?.close();
    });

    it("keeps the newest profile version and ignores an older delivery", async () => {
      const shop = newShop();
      expect(await store.upsertCustomer(profile(shop, ALICE))).toBe("written");
      const newer = profile(shop, ALICE, {
        firstName: "Alicia",
        tags: ["vip"],
        orderCount: 4,
        marketingConsent: "unsubscribed",
        sourceUpdatedAt: new Date("2026-10-02T00:00:00.000Z"),
      });
      expect(await store.upsertCustomer(newer)).toBe("written");
      expect(await store.upsertCustomer(profile(shop, ALICE))).toBe("stale");
      expect(await store.getCustomer(shop, ALICE)).toEqual(newer);
      expect(await store.getCustomer(shop, BOB)).toBeNull();
      expect(await store.getCustomer(newShop(), ALICE)).toBeNull();
    });

    it("lists a customer's orders newest first and ignores stale order updates", async () => {
      const shop = newShop();
      await store.upsertOrder(order(shop, ALICE, "820982911946154501", { placedAt: new Date("2026-09-01T00:00:00Z") }));
      const shipped = order(shop, ALICE, "820982911946154502", {
        placedAt: new Date("2026-10-01T00:00:00Z"),
        fulfillmentStatus: "fulfilled",
        fulfillments: [
          {
            status: "success",
            shipmentStatus: "in_transit",
            trackingCompany: "UPS",
            trackingUrl: "https://ups.example/track/1Z",
            updatedAt: new Date("2026-10-02T00:00:00Z"),
          },
        ],
        sourceUpdatedAt: new Date("2026-10-02T00:00:00Z"),
      });
      await store.upsertOrder(shipped);
      // An orders/create delivered after the orders/updated it preceded must not roll the order back.
      const late = order(shop, ALICE, "820982911946154502", {
        placedAt: new Date("2026-10-01T00:00:00Z"),
        sourceUpdatedAt: new Date("2026-10-01T00:00:00Z"),
      });
      expect(await store.upsertOrder(late)).toBe("stale");
      const orders = await store.listOrders(shop, ALICE, 10);
      expect(orders.map((o) => o.orderId)).toEqual(["820982911946154502", "820982911946154501"]);
      expect(orders[0]).toEqual(shipped);
      expect(await store.countOrders(shop, ALICE)).toBe(2);
      expect(await store.listOrders(shop, ALICE, 1)).toHaveLength(1);
    });

    it("continues the same visitor's conversation and appends messages in order with their products", async () => {
      const shop = newShop();
      const conversation = await service.openConversation({ shop, visitorId: "visitor-1", customerId: null });
      expect(conversation).toMatchObject({ shop, visitorId: "visitor-1", customerId: null, messageCount: 0 });
      const again = await service.openConversation({
        shop,
        visitorId: "visitor-1",
        customerId: null,
        conversationId: conversation.id,
      });
      expect(again.id).toBe(conversation.id);

      await service.appendMessage({ shop, conversationId: conversation.id, role: "user", text: "waterproof jacket?" });
      clock.advance(1000);
      await service.appendMessage({
        shop,
        conversationId: conversation.id,
        role: "assistant",
        text: "Two options:",
        productIds: ["788032119674292922", "788032119674292923"],
      });
      for (let turn = 0; turn < 4; turn++) {
        await service.appendMessage({ shop, conversationId: conversation.id, role: "user", text: `follow-up ${turn}` });
      }
      const all = await service.lastTurns(shop, conversation.id, 50);
      expect(all.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(all[1]).toMatchObject({ role: "assistant", productIds: ["788032119674292922", "788032119674292923"] });
      const lastThree = await service.lastTurns(shop, conversation.id, 3);
      expect(lastThree.map((m) => m.text)).toEqual(["follow-up 1", "follow-up 2", "follow-up 3"]);

      await service.recordAddToCart({
        shop,
        conversationId: conversation.id,
        productId: "788032119674292922",
        variantId: "39072856",
      });
      const detail = await service.getConversation(shop, conversation.id);
      expect(detail?.conversation.messageCount).toBe(6);
      expect(detail?.cartEvents).toMatchObject([{ productId: "788032119674292922", variantId: "39072856" }]);
    });

    it("writes a record under the caller's id once: a repeated write returns the first and adds nothing", async () => {
      const shop = newShop();
      const at = clock.now();
      const id = `conv-${shopSerial}-replayed`;
      const first = await store.createConversation({ id, shop, visitorId: "visitor-r", customerId: null, at });
      const again = await store.createConversation({ id, shop, visitorId: "visitor-r", customerId: null, at });
      expect(first.id).toBe(id);
      expect(again).toEqual(first);
      const message = {
        id: `${id}-m1`,
        shop,
        conversationId: id,
        role: "user" as const,
        text: "hello",
        productIds: [],
        at,
      };
      const written = await store.appendMessage(message);
      const replayed = await store.appendMessage({ ...message, text: "a replay never overwrites" });
      expect(replayed).toEqual(written);
      const second = await store.appendMessage({ ...message, id: `${id}-m2`, text: "next" });
      expect(second.position).toBe(2);
      const event = { id: `${id}-e1`, shop, conversationId: id, productId: "1", variantId: null, at };
      expect(await store.recordCartEvent(event)).toEqual(await store.recordCartEvent(event));
      expect(await store.countRecords({ shop })).toMatchObject({ conversations: 1, messages: 2, cartEvents: 1 });
      expect((await store.getConversation(shop, id))?.messageCount).toBe(2);
      // An id another shop used is not this shop's record.
      await expect(store.appendMessage({ ...message, shop: newShop() })).rejects.toThrow();
    });

    it("never links an anonymous conversation to a customer, nor honours someone else's conversation id", async () => {
      const shop = newShop();
      const anonymous = await service.openConversation({ shop, visitorId: "v-anon", customerId: null });
      const afterLogin = await service.openConversation({
        shop,
        visitorId: "v-anon",
        customerId: ALICE,
        conversationId: anonymous.id,
      });
      expect(afterLogin.id).not.toBe(anonymous.id);
      expect(afterLogin.customerId).toBe(ALICE);
      expect((await store.getConversation(shop, anonymous.id))?.customerId).toBeNull();

      const hijack = await service.openConversation({
        shop,
        visitorId: "v-other",
        customerId: BOB,
        conversationId: afterLogin.id,
      });
      expect(hijack.id).not.toBe(afterLogin.id);
      const otherShop = await service.openConversation({
        shop: newShop(),
        visitorId: "v-anon",
        customerId: ALICE,
        conversationId: afterLogin.id,
      });
      expect(otherShop.id).not.toBe(afterLogin.id);
    });

    it("rejects bad input with a clear error and writes nothing", async () => {
      const shop = newShop();
      const conversation = await service.openConversation({ shop, visitorId: "v", customerId: null });
      await expect(
        service.appendMessage({ shop, conversationId: conversation.id, role: "user", text: "x".repeat(8001) }),
      ).rejects.toThrow(/longer than 8000/);
      await expect(
        service.appendMessage({ shop, conversationId: conversation.id, role: "user", text: "hi", productIds: ["1"] }),
      ).rejects.toThrow(/only assistant messages/);
      await expect(
        service.appendMessage({ shop, conversationId: "missing-conversation", role: "user", text: "hi" }),
      ).rejects.toThrow(/not found/);
      await expect(service.openConversation({ shop, visitorId: "v", customerId: "not-a-number" })).rejects.toThrow(
        /numeric id/,
      );
      await expect(service.listConversations(shop, { cursor: "garbage" })).rejects.toThrow(/cursor/);
      expect(await service.lastTurns(shop, conversation.id)).toEqual([]);
      expect((await store.countRecords({ shop })).messages).toBe(0);
    });

    it("pages through a shop's conversations newest first without gaps or repeats", async () => {
      const shop = newShop();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(60_000);
        const conversation = await service.openConversation({ shop, visitorId: `v${i}`, customerId: null });
        await service.appendMessage({ shop, conversationId: conversation.id, role: "user", text: `hello ${i}` });
        ids.push(conversation.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<CustomerService["listConversations"]>> = await service.listConversations(shop, {
          limit: 2,
          cursor,
        });
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it("isolates customers and shops: X never reads Y's orders or history, shop A never sees shop B's", async () => {
      const shopA = newShop();
      const shopB = newShop();
      await store.upsertCustomer(profile(shopA, ALICE));
      await store.upsertCustomer(profile(shopA, BOB, { firstName: "Bob", tags: ["wholesale"] }));
      await store.upsertOrder(order(shopA, ALICE, "100000000000000001", { name: "#A1" }));
      await store.upsertOrder(
        order(shopA, BOB, "100000000000000002", { name: "#B1", placedAt: new Date("2026-10-30T00:00:00Z") }),
      );
      await store.upsertCustomer(profile(shopB, ALICE, { firstName: "Other-shop Alice" }));
      await store.upsertOrder(
        order(shopB, ALICE, "100000000000000003", { name: "#OTHER", placedAt: new Date("2026-11-01T00:00:00Z") }),
      );
      const aliceChat = await service.openConversation({ shop: shopA, visitorId: "va", customerId: ALICE });
      await service.appendMessage({ shop: shopA, conversationId: aliceChat.id, role: "user", text: "alice secret" });
      const bChat = await service.openConversation({ shop: shopB, visitorId: "vb", customerId: ALICE });
      await service.appendMessage({ shop: shopB, conversationId: bChat.id, role: "user", text: "shop b secret" });

      const aliceContext = await service.getCustomerContext(shopA, ALICE);
      expect(aliceContext).toMatchObject({ firstName: "Alice", tags: ["vip", "hiker"] });
      expect(aliceContext?.purchases.map((p) => p.orderName)).toEqual(["#A1"]);
      expect((await latestOrder(shopA, ALICE))?.orderName).toBe("#A1");
      expect((await latestOrder(shopA, BOB))?.orderName).toBe("#B1");
      expect((await latestOrder(shopB, ALICE))?.orderName).toBe("#OTHER");

      expect(await service.getConversation(shopB, aliceChat.id)).toBeNull();
      expect(await service.lastTurns(shopB, aliceChat.id)).toEqual([]);
      await expect(
        service.appendMessage({ shop: shopB, conversationId: aliceChat.id, role: "user", text: "x" }),
      ).rejects.toThrow(/not found/);
      const listedA = (await service.listConversations(shopA, { limit: 100 })).items.map((c) => c.id);
      expect(listedA).toEqual([aliceChat.id]);

      const bobExport = JSON.parse((await service.exportCustomerData(shopA, BOB, "req-bob")).json);
      expect(JSON.stringify(bobExport)).not.toContain("alice secret");
      expect(bobExport.orders.map((o: { name: string }) => o.name)).toEqual(["#B1"]);
      expect((await service.listDataExports(shopB)).items).toEqual([]);
    });

    it("gives anonymous shoppers no context and derives the order status a shopper can ask about", async () => {
      const shop = newShop();
      expect(await service.getCustomerContext(shop, null)).toBeNull();
      expect(await service.getCustomerContext(shop, undefined)).toBeNull();
      // Logged in but nothing known yet: a blank context, not "anonymous".
      expect(await service.getCustomerContext(shop, ALICE)).toEqual({
        customerId: ALICE,
        firstName: null,
        tags: [],
        orderCount: 0,
        marketingConsent: "unknown",
        latestOrder: null,
        purchases: [],
      });
      await store.upsertOrder(order(shop, ALICE, "200000000000000001", { placedAt: new Date("2026-09-01T00:00:00Z") }));
      await store.upsertOrder(
        order(shop, ALICE, "200000000000000002", {
          name: "#LATEST",
          placedAt: new Date("2026-10-20T00:00:00Z"),
          fulfillmentStatus: "fulfilled",
          fulfillments: [
            {
              status: "success",
              shipmentStatus: "out_for_delivery",
              trackingCompany: "DHL",
              trackingUrl: "https://dhl.example/1",
              updatedAt: null,
            },
          ],
        }),
      );
      const latest = await latestOrder(shop, ALICE);
      expect(latest).toMatchObject({
        orderName: "#LATEST",
        status: "out_for_delivery",
        tracking: [{ company: "DHL", url: "https://dhl.example/1", shipmentStatus: "out_for_delivery" }],
      });
      const context = await service.getCustomerContext(shop, ALICE);
      expect(context).toMatchObject({ firstName: null, orderCount: 2, marketingConsent: "unknown" });
      expect(context?.purchases.map((p) => p.status)).toEqual(["out_for_delivery", "processing"]);
      expect(context?.latestOrder).toEqual(latest);
    });

    it("exports everything about a customer once per request, replays included, and lists it for the merchant", async () => {
      const shop = newShop();
      await store.upsertCustomer(profile(shop, ALICE));
      await store.upsertOrder(order(shop, ALICE, "300000000000000001"));
      const chat = await service.openConversation({ shop, visitorId: "v", customerId: ALICE });
      await service.appendMessage({ shop, conversationId: chat.id, role: "user", text: "boots for snow?" });
      await service.appendMessage({
        shop,
        conversationId: chat.id,
        role: "assistant",
        text: "These:",
        productIds: ["42"],
      });
      await service.recordAddToCart({ shop, conversationId: chat.id, productId: "42" });
      const anonymous = await service.openConversation({ shop, visitorId: "v", customerId: null });
      await service.appendMessage({ shop, conversationId: anonymous.id, role: "user", text: "anonymous question" });

      const first = await service.exportCustomerData(shop, ALICE, "9999");
      const replay = await service.exportCustomerData(shop, ALICE, "9999");
      expect(replay.id).toBe(first.id);
      const exports = await service.listDataExports(shop);
      expect(exports.items).toHaveLength(1);
      const document = JSON.parse((await service.getDataExport(shop, first.id))!.json);
      expect(document).toMatchObject({
        customerId: ALICE,
        profile: { firstName: "Alice", tags: ["vip", "hiker"], marketingConsent: "subscribed" },
        orders: [{ orderId: "300000000000000001" }],
        conversations: [
          {
            id: chat.id,
            messages: [
              { role: "user", text: "boots for snow?" },
              { role: "assistant", text: "These:", productIds: ["42"] },
            ],
            addToCartEvents: [{ productId: "42" }],
          },
        ],
      });
      expect(JSON.stringify(document)).not.toContain("anonymous question");
      expect(await service.getDataExport(newShop(), first.id)).toBeNull();
    });

    it("redacts a customer everywhere in this store, harmlessly on replay, leaving everyone else intact", async () => {
      const shop = newShop();
      for (const customerId of [ALICE, BOB]) {
        await store.upsertCustomer(profile(shop, customerId));
        await store.upsertOrder(order(shop, customerId, `9${customerId}`));
        const chat = await service.openConversation({ shop, visitorId: `v-${customerId}`, customerId });
        await service.appendMessage({ shop, conversationId: chat.id, role: "user", text: "hello" });
        await service.recordAddToCart({ shop, conversationId: chat.id, productId: "7" });
        await service.exportCustomerData(shop, customerId, `req-${customerId}`);
      }
      const before = await store.countRecords({ shop, customerId: ALICE });
      expect(before).toEqual({ customers: 1, orders: 1, conversations: 1, messages: 1, cartEvents: 1, dataExports: 1 });

      expect(await service.redactCustomer(shop, ALICE)).toEqual(before);
      expect(await store.countRecords({ shop, customerId: ALICE })).toEqual(ZERO);
      expect(await service.redactCustomer(shop, ALICE)).toEqual(ZERO);
      expect(await store.countRecords({ shop, customerId: BOB })).toEqual(before);
      expect(await service.getCustomerContext(shop, ALICE)).toMatchObject({ firstName: null, purchases: [] });
    });

    it("deletes all of a shop's data and nothing of other shops", async () => {
      const shop = newShop();
      const other = newShop();
      for (const s of [shop, other]) {
        await store.upsertCustomer(profile(s, ALICE));
        await store.upsertOrder(order(s, ALICE, "400000000000000001"));
        const anonymous = await service.openConversation({ shop: s, visitorId: "v", customerId: null });
        await service.appendMessage({ shop: s, conversationId: anonymous.id, role: "user", text: "hi" });
        await service.recordAddToCart({ shop: s, conversationId: anonymous.id, productId: "1" });
        await service.exportCustomerData(s, ALICE, "r1");
      }
      const counts = await service.deleteShopData(shop);
      expect(counts).toEqual({ customers: 1, orders: 1, conversations: 1, messages: 1, cartEvents: 1, dataExports: 1 });
      expect(await store.countRecords({ shop })).toEqual(ZERO);
      expect(await service.deleteShopData(shop)).toEqual(ZERO);
      expect(await store.countRecords({ shop: other })).toEqual(counts);
    });

    it("deletes conversations idle longer than the retention period, with their messages and events", async () => {
      const shop = newShop();
      clock.set(new Date("2026-06-01T00:00:00Z"));
      const old = await service.openConversation({ shop, visitorId: "old", customerId: ALICE });
      await service.appendMessage({ shop, conversationId: old.id, role: "user", text: "old" });
      await service.recordAddToCart({ shop, conversationId: old.id, productId: "1" });
      const revived = await service.openConversation({ shop, visitorId: "revived", customerId: null });
      clock.set(new Date("2026-07-05T00:00:00Z"));
      await service.appendMessage({ shop, conversationId: revived.id, role: "user", text: "still here" });
      clock.set(new Date("2026-07-20T00:00:00Z"));
      const fresh = await service.openConversation({ shop, visitorId: "fresh", customerId: null });

      // 30-day retention at 2026-07-20: cutoff 2026-06-20. `old` idle since June 1 goes; `revived`
      // was started before the cutoff but active after it, so it stays.
      const deleted = await service.purgeExpiredConversations();
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect(await store.getConversation(shop, old.id)).toBeNull();
      expect(await store.getConversation(shop, revived.id)).not.toBeNull();
      expect(await store.getConversation(shop, fresh.id)).not.toBeNull();
      const counts = await store.countRecords({ shop, customerId: ALICE });
      expect(counts.messages + counts.cartEvents + counts.conversations).toBe(0);

      const keepForever = createCustomerService(store, {
        retentionDays: 0,
        now: () => new Date(Date.now() + 1000 * DAY),
      });
      expect(await keepForever.purgeExpiredConversations()).toBe(0);
      expect(await store.getConversation(shop, fresh.id)).not.toBeNull();
    });

    it("deletes data exports older than their retention period, and only those", async () => {
      const shop = newShop();
      const exporting = createCustomerService(store, {
        retentionDays: 0,
        exportRetentionDays: 30,
        now: clock.now,
      });
      clock.set(new Date("2026-05-01T00:00:00Z"));
      await exporting.exportCustomerData(shop, ALICE, "old-request");
      clock.set(new Date("2026-05-20T00:00:00Z"));
      await exporting.exportCustomerData(shop, BOB, "recent-request");
      // At 2026-06-10 the cutoff is 2026-05-11: the May 1 export (full chat text) goes.
      clock.set(new Date("2026-06-10T00:00:00Z"));
      expect(await exporting.purgeExpiredExports()).toBeGreaterThanOrEqual(1);
      expect((await service.listDataExports(shop)).items.map((e) => e.requestId)).toEqual(["recent-request"]);
      expect(await service.purgeExpiredExports()).toBe(0); // no export retention set: kept
    });
  });
}
