// Decision 116: on Appwrite 1.8 the store writes a message with its conversation in one transaction,
// deletes by query for redaction and lets the server decide newest-wins; on 1.7 (bulk operations, no
// transactions) and 1.6 (neither) it learns that once, at start, and falls back. Traffic is read on the
// wire (recording proxy) in front of the local Appwrite-compatible server started as each version.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { AppwriteCustomerStore } from "../../app/lib/customers/appwrite-store.server";
import type { CustomerProfile } from "../../app/lib/customers/types";
import { startRecordingProxy, type RecordingProxyOptions } from "../../tools/appwrite-emulator/recording-proxy";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { AppwriteSpecChecker, loadAppwriteSpec, type Exchange } from "../../tools/appwrite-emulator/spec-check";

const PROJECT = "aisle-consistency";
const KEY = "consistency-" + randomBytes(8).toString("hex");
const SHOP = "consistency-shop.myshopify.com";
const ALICE = "706405506930370084";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function storeOn(version: string, proxyOptions: RecordingProxyOptions = {}) {
  const emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, version, buildDelayMs: 5 });
  const proxy = await startRecordingProxy(emulator.endpoint, proxyOptions);
  stops.push(emulator.stop, proxy.close);
  const client = createAppwriteClient({ endpoint: proxy.endpoint, projectId: PROJECT, apiKey: KEY });
  const store = new AppwriteCustomerStore(client, { databaseId: "aisle", pollMs: 5 });
  await store.ready();
  return { store, exchanges: proxy.exchanges };
}

const profile = (sourceUpdatedAt: Date, firstName = "Alice"): CustomerProfile => ({
  shop: SHOP,
  customerId: ALICE,
  firstName,
  tags: [],
  orderCount: 1,
  marketingConsent: "subscribed",
  sourceUpdatedAt,
});
const body = (exchange: Exchange) => (exchange.requestBody ?? {}) as Record<string, unknown>;
const writes = (exchanges: Exchange[]) => exchanges.filter((exchange) => exchange.method !== "GET");
const summary = (exchanges: Exchange[]) =>
  exchanges.map((e) => `${e.method} ${e.path.replace(/\/v1\/databases\/(aisle\/collections\/)?/, "")} ${e.status}`);

/** A chat turn, a newer then an older profile delivery, and a customer redaction: what each mode sends. */
async function session(store: AppwriteCustomerStore) {
  const conversation = await store.createConversation({
    shop: SHOP,
    visitorId: "v1",
    customerId: ALICE,
    at: new Date("2026-11-01T10:00:00Z"),
  });
  await store.appendMessage({
    shop: SHOP,
    conversationId: conversation.id,
    role: "user",
    text: "where is my parcel?",
    productIds: [],
    at: new Date("2026-11-01T10:00:01Z"),
  });
  expect(await store.upsertCustomer(profile(new Date("2026-11-02T00:00:00Z")))).toBe("written");
  expect(await store.upsertCustomer(profile(new Date("2026-11-01T00:00:00Z"), "Older"))).toBe("stale");
  expect((await store.getCustomer(SHOP, ALICE))?.firstName).toBe("Alice");
  return conversation;
}

describe("Appwrite 1.8: transactions and bulk operations", () => {
  it("writes a message and its conversation's counters in one committed transaction", async () => {
    const { store, exchanges } = await storeOn("1.8.0");
    expect(store.serverFeatures()).toEqual({ bulk: true, transactions: true });
    const start = exchanges.length;
    const conversation = await session(store);
    const turn = writes(exchanges.slice(start)).slice(1, 5); // after the conversation's creation
    expect(summary(turn)).toEqual([
      "POST transactions 201",
      `PATCH conversations/documents/${conversation.id} 200`,
      "POST messages/documents 201",
      expect.stringMatching(/^PATCH transactions\/\w+ 200$/),
    ]);
    const transactionId = JSON.parse(turn[0].responseBody).$id as string;
    expect(body(turn[1]).transactionId).toBe(transactionId);
    expect(body(turn[2]).transactionId).toBe(transactionId);
    expect(body(turn[3])).toEqual({ commit: true });
    expect(await store.listMessages(SHOP, conversation.id, 10)).toMatchObject([{ position: 1 }]);
  });

  it("lets the server decide newest-wins and deletes a customer's records by query", async () => {
    const { store, exchanges } = await storeOn("1.8.0");
    await session(store);
    expect(await store.upsertCustomer(profile(new Date("2026-11-03T00:00:00Z")))).toBe("written");
    const upserts = exchanges.filter((e) => e.method === "PATCH" && e.path.endsWith("/customers/documents"));
    // Matched nothing (then created), nothing (stored one newer: stale), one (updated).
    expect(upserts.map((e) => JSON.parse(e.responseBody).total)).toEqual([0, 0, 1]);
    expect((body(upserts[2]).queries as string[]).map((q) => JSON.parse(q).method)).toEqual(["equal", "lessThanEqual"]);

    const start = exchanges.length;
    expect(await store.deleteCustomerData(SHOP, ALICE)).toMatchObject({ customers: 1, conversations: 1, messages: 1 });
    const deletes = writes(exchanges.slice(start));
    expect(deletes.every((e) => e.method === "DELETE" && e.path.endsWith("/documents"))).toBe(true);
    expect(deletes).toHaveLength(6); // one per collection
    expect(await store.countRecords({ shop: SHOP, customerId: ALICE })).toEqual({
      customers: 0,
      orders: 0,
      conversations: 0,
      messages: 0,
      cartEvents: 0,
      dataExports: 0,
    });
  });

  it("changes nothing when the server refuses the message inside the transaction", async () => {
    let refuse = false;
    const { store } = await storeOn("1.8.0", {
      intercept: ({ method, path }) =>
        refuse && method === "POST" && path.endsWith("/messages/documents")
          ? {
              status: 503,
              json: { message: "Service unavailable", code: 503, type: "general_service_disabled", version: "1.8.0" },
            }
          : undefined,
    });
    const conversation = await store.createConversation({
      shop: SHOP,
      visitorId: "v2",
      customerId: null,
      at: new Date(),
    });
    const say = () =>
      store.appendMessage({
        shop: SHOP,
        conversationId: conversation.id,
        role: "user",
        text: "hi",
        productIds: [],
        at: new Date(),
      });
    refuse = true;
    await expect(say()).rejects.toMatchObject({ code: 503 });
    // The staged counter update was rolled back with it: no counted message is missing.
    expect(await store.getConversation(SHOP, conversation.id)).toMatchObject({ messageCount: 0 });
    refuse = false;
    await say();
    expect(await store.listMessages(SHOP, conversation.id, 10)).toMatchObject([{ position: 1, text: "hi" }]);
  });

  it("redoes a turn whose commit conflicts with another turn of the same conversation", async () => {
    // Turn "first" is held just before its commit while turn "second" is written: Appwrite then refuses
    // the first commit (its conversation changed after the write was staged), and the store redoes it.
    let firstTransaction: string | undefined;
    let held!: () => void;
    const firstHeld = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const secondDone = new Promise<void>((resolve) => (release = resolve));
    const { store, exchanges } = await storeOn("1.8.0", {
      intercept: async ({ method, path, body: sent }) => {
        const fields = (sent ?? {}) as { data?: { text?: string }; transactionId?: string; commit?: boolean };
        if (method === "POST" && fields.data?.text === "first") firstTransaction ??= fields.transactionId;
        if (method === "PATCH" && fields.commit && firstTransaction && path.endsWith(`/${firstTransaction}`)) {
          firstTransaction = "done"; // only the first attempt is held
          held();
          await secondDone;
        }
        return undefined;
      },
    });
    const conversation = await store.createConversation({
      shop: SHOP,
      visitorId: "v3",
      customerId: null,
      at: new Date(),
    });
    const turn = (text: string) =>
      store.appendMessage({
        shop: SHOP,
        conversationId: conversation.id,
        role: "user",
        text,
        productIds: [],
        at: new Date(),
      });
    const first = turn("first");
    await firstHeld;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await turn("second");
    release();
    await first;
    expect(exchanges.filter((e) => e.status === 409).map((e) => JSON.parse(e.responseBody).type)).toEqual([
      "transaction_conflict",
    ]);
    const messages = await store.listMessages(SHOP, conversation.id, 10);
    expect(messages.map((m) => `${m.position}:${m.text}`)).toEqual(["1:second", "2:first"]);
    expect(await store.getConversation(SHOP, conversation.id)).toMatchObject({ messageCount: 2 });
  });

  it("keeps the newest of many concurrent deliveries of one customer", async () => {
    const { store } = await storeOn("1.8.0");
    const days = [5, 2, 9, 1, 7, 3, 8, 4, 6];
    await Promise.all(
      days.map((day) => store.upsertCustomer(profile(new Date(Date.UTC(2026, 10, day)), `day ${day}`))),
    );
    expect(await store.getCustomer(SHOP, ALICE)).toMatchObject({ firstName: "day 9" });
  });
});

describe("an older delivery racing a newer one (decision 116)", () => {
  // The older delivery's write is held on the wire until the newer one is done: the order in which a
  // slow request and a fast one can reach Appwrite.
  it.each([
    ["1.8.0", "day 9"],
    ["1.7.4", "day 9"],
    // Read, compare, write from the client: the window decision 081 describes, and why the server-side
    // conditional update is used wherever the server has it.
    ["1.6.2", "day 7"],
  ])("on %s keeps %s", async (version, kept) => {
    let held!: () => void;
    const olderHeld = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const newerDone = new Promise<void>((resolve) => (release = resolve));
    const { store } = await storeOn(version, {
      intercept: async ({ method, body: sent }) => {
        if (method === "PATCH" && JSON.stringify(sent ?? {}).includes('"day 7"')) {
          held();
          await newerDone;
        }
        return undefined;
      },
    });
    await store.upsertCustomer(profile(new Date("2026-11-05T00:00:00Z"), "day 5"));
    const older = store.upsertCustomer(profile(new Date("2026-11-07T00:00:00Z"), "day 7"));
    await olderHeld;
    expect(await store.upsertCustomer(profile(new Date("2026-11-09T00:00:00Z"), "day 9"))).toBe("written");
    release();
    await older;
    expect(await store.getCustomer(SHOP, ALICE)).toMatchObject({ firstName: kept });
  });
});

describe.each([
  ["1.7.4", { bulk: true, transactions: false }],
  ["1.6.2", { bulk: false, transactions: false }],
])("Appwrite %s: falls back where the server lacks a feature", (version, features) => {
  it("learns what the server lacks once, at start, and never sends what it would ignore", async () => {
    const { store, exchanges } = await storeOn(version);
    expect(store.serverFeatures()).toEqual(features);
    const probes = exchanges.filter(
      (e) => e.status === 404 && JSON.parse(e.responseBody).type === "general_route_not_found",
    );
    expect(probes.map((e) => `${e.method} ${e.path}`)).toEqual([
      "POST /v1/databases/transactions",
      ...(features.bulk ? [] : ["DELETE /v1/databases/aisle/collections/customers/documents"]),
    ]);
    // Later requests ask for the server's own response format, so it does not warn on each one.
    expect(exchanges.at(-1)?.requestHeaders["x-appwrite-response-format"]).toBe(features.bulk ? "1.7.0" : "1.6.0");
    expect(exchanges.at(-1)?.responseHeaders["x-appwrite-warning"]).toBeUndefined();

    const start = exchanges.length;
    const conversation = await session(store);
    expect(await store.deleteCustomerData(SHOP, ALICE)).toMatchObject({ customers: 1, conversations: 1, messages: 1 });
    const later = exchanges.slice(start);
    // An older server would silently ignore a transactionId and write at once: it is never sent.
    expect(later.filter((e) => "transactionId" in body(e))).toEqual([]);
    expect(later.filter((e) => e.status === 404 && e.path.includes("transactions"))).toEqual([]);
    const bulk = later.filter((e) => e.method !== "GET" && e.path.endsWith("/documents") && e.method !== "POST");
    if (features.bulk) expect(bulk.length).toBeGreaterThan(0);
    else expect(bulk).toEqual([]);
    expect(await store.listMessages(SHOP, conversation.id, 10)).toEqual([]);
    expect(await store.getCustomer(SHOP, ALICE)).toBeNull();
    // The fallback's requests are still the published API's (decision 115).
    const spec = loadAppwriteSpec();
    if (spec) {
      const checker = new AppwriteSpecChecker(spec);
      expect([...new Set(exchanges.flatMap((exchange) => checker.checkRequest(exchange)))]).toEqual([]);
    } else console.info("Fallback requests not checked against Appwrite's spec: ../shared/data/appwrite is absent.");
  });
});
