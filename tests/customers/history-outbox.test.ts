// Appwrite down during a chat session (issue 17, Deliver 4; decision 121): the local Appwrite server
// behind a TCP hop the test cuts, the real chat endpoint and answer engine, the outbox on SQLite and on
// Postgres. Every turn is answered while Appwrite is unreachable; when it is back, every message is
// in Appwrite exactly once, in order, and a delivery replayed after a lost answer writes nothing twice.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { AppwriteCustomerStore } from "../../app/lib/customers/appwrite-store.server";
import { HistoryOutbox } from "../../app/lib/customers/history-outbox.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { probe } from "../../app/lib/health.server";
import { handleChatTurn } from "../../app/lib/storefront/chat-turn.server";
import { startAppwriteEmulator, type RunningAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { suiteDatabases } from "../helpers/postgres-database";
import { startSwitchableProxy, type SwitchableProxy } from "../helpers/switchable-proxy";
import { outdoorCatalog } from "../search/products";
import { createChatEndpointContext, readSse } from "../widget/chat-deps";

const PROJECT = "aisle-outbox";
const KEY = "outbox-key";

describe.each(suiteDatabases("aisle_outbox"))("chat history through the outbox, app database on $name", (database) => {
  let emulator: RunningAppwriteEmulator;
  let proxy: SwitchableProxy;
  let db: Awaited<ReturnType<typeof database.open>>;
  let ctx: Awaited<ReturnType<typeof createChatEndpointContext>>;
  let outbox: HistoryOutbox;
  /** Straight to the Appwrite server, not through the hop: what another app reading Appwrite sees. */
  let direct: AppwriteCustomerStore;
  const databaseId = `outbox-${database.name.toLowerCase()}`;

  beforeAll(async () => {
    emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, buildDelayMs: 5 });
    proxy = await startSwitchableProxy(new URL(emulator.endpoint).origin);
    const client = createAppwriteClient({ endpoint: `${proxy.url}/v1`, projectId: PROJECT, apiKey: KEY });
    const store = new AppwriteCustomerStore(client, { databaseId });
    await store.ready();
    direct = new AppwriteCustomerStore(
      createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY }),
      { databaseId },
    );
    db = await database.open();
    outbox = new HistoryOutbox({
      db: db.prisma,
      store,
      log: pino({ level: "silent" }),
      // Short waits so the test sees the return within seconds; production backs off up to a minute.
      settings: { pollIntervalMs: 50, maxBackoffMs: 400, readTimeoutMs: 500, deliveryTimeoutMs: 2000 },
    });
    ctx = await createChatEndpointContext(db.prisma, outdoorCatalog());
    ctx.deps.conversations = createCustomerService(outbox.customerStore, { retentionDays: 90 });
    ctx.deps.limits = ctx.makeLimits({ visitorMessagesPerWindow: 100 });
    outbox.start();
  }, 60_000);

  afterAll(async () => {
    await outbox?.stop();
    await ctx?.close();
    await db?.close();
    await proxy?.close();
    await emulator?.stop();
  });

  const turn = async (visitorId: string, message: string, conversationId?: string) => {
    const response = await handleChatTurn(ctx.deps, {
      shop: ctx.shop,
      customerId: null,
      request: new Request("https://app.example/proxy/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, visitorId, conversationId }),
      }),
      client: { via: "direct", socketAddress: "198.51.100.7" },
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const answer = events
      .filter((e) => e.event === "text")
      .map((e) => e.data.delta)
      .join("");
    const replaced = events.findLast((e) => e.event === "replace")?.data.text as string | undefined;
    return {
      conversationId: events.find((e) => e.event === "conversation")?.data.id as string,
      answer: replaced ?? answer,
      done: events.some((e) => e.event === "done"),
    };
  };
  const drained = () =>
    vi.waitFor(async () => expect((await outbox.state()).waiting).toBe(0), { timeout: 15_000, interval: 50 });
  const health = () => outbox.health(() => probe(() => outbox.customerStore.ping(), 1000));

  it("answers every turn while Appwrite is down, then delivers each message once, in order", async () => {
    const visitor = ctx.deps.visitors.issue(ctx.shop);
    const sent: string[] = [];
    const first = await turn(visitor, "a waterproof hiking jacket?");
    sent.push("a waterproof hiking jacket?", first.answer);
    const conversationId = first.conversationId;
    await drained();
    expect((await direct.listMessages(ctx.shop, conversationId, 50)).map((m) => m.text)).toEqual(sent);
    expect((await health()).status).toBe("ok");

    proxy.down();
    const questions = ["and in red?", "something warmer for winter", "which of those is lightest?"];
    for (const question of questions) {
      const reply = await turn(visitor, question, conversationId);
      expect(reply).toMatchObject({ conversationId, done: true });
      expect(reply.answer.length).toBeGreaterThan(0);
      sent.push(question, reply.answer);
    }
    // The model saw the turns written during the outage as history (they wait in the outbox).
    const lastRequest = ctx.calls.at(-1)!.request;
    expect((lastRequest.history ?? []).map((h) => h.content)).toEqual(expect.arrayContaining(sent.slice(2, 6)));
    // A shopper who starts a conversation during the outage gets one too.
    const other = await turn(ctx.deps.visitors.issue(ctx.shop), "tents for two?");
    expect(other.done).toBe(true);

    const down = await health();
    expect(down.status).toBe("down");
    expect(down.detail).toMatch(/9 chat history writes waiting since/);
    expect((await outbox.state()).lastError).toBeTruthy();
    proxy.up();
    await drained();
    const stored = await direct.listMessages(ctx.shop, conversationId, 50);
    expect(stored.map((m) => m.text)).toEqual(sent);
    expect(stored.map((m) => m.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(stored.map((m) => m.id)).size).toBe(8);
    expect((await direct.getConversation(ctx.shop, conversationId))?.messageCount).toBe(8);
    expect((await direct.listMessages(ctx.shop, other.conversationId, 50)).map((m) => m.text)).toEqual([
      "tents for two?",
      other.answer,
    ]);
    expect(await direct.countRecords({ shop: ctx.shop })).toMatchObject({ conversations: 2, messages: 10 });
    expect((await health()).detail).toMatch(/no chat history waiting/);
  });

  it("writes nothing twice when a delivered row is delivered again (its answer was lost)", async () => {
    const visitor = ctx.deps.visitors.issue(ctx.shop);
    const reply = await turn(visitor, "a sleeping bag for summer?");
    await drained();
    const before = await direct.countRecords({ shop: ctx.shop });
    // What a crash between Appwrite's answer and marking the row delivered leaves behind.
    const replayed = await db.prisma.historyOutbox.updateMany({
      where: { conversationId: reply.conversationId },
      data: { state: "pending", payload: JSON.stringify({ role: "user", text: "changed?", productIds: [] }) },
    });
    expect(replayed.count).toBe(3);
    await drained();
    expect(await direct.countRecords({ shop: ctx.shop })).toEqual(before);
    expect((await direct.listMessages(ctx.shop, reply.conversationId, 50)).map((m) => m.text)).toEqual([
      "a sleeping bag for summer?",
      reply.answer,
    ]);
  });

  it("answers while Appwrite is slow; a write that landed after its delivery gave up is not written again", async () => {
    const visitor = ctx.deps.visitors.issue(ctx.shop);
    const first = await turn(visitor, "a light tent?");
    await drained();
    // Every answer comes 3 s late: after the chat's reads (0.5 s) and the deliveries (2 s) gave up.
    proxy.slow(3000);
    const second = await turn(visitor, "and a cheaper one?", first.conversationId);
    expect(second).toMatchObject({ conversationId: first.conversationId, done: true });
    await vi.waitFor(async () => expect((await outbox.state()).lastError).toMatch(/did not answer/), {
      timeout: 15_000,
      interval: 100,
    });
    proxy.slow(0);
    await drained();
    const stored = await direct.listMessages(ctx.shop, first.conversationId, 50);
    expect(stored.map((m) => m.text)).toEqual(["a light tent?", first.answer, "and a cheaper one?", second.answer]);
    expect(stored.map((m) => m.position)).toEqual([1, 2, 3, 4]);
  });

  it("delivers nothing of a customer redacted while their history waited", async () => {
    const customerId = "706405506930370099";
    const customers = createCustomerService(outbox.customerStore, { retentionDays: 90 });
    proxy.down();
    const conversation = await customers.openConversation({ shop: ctx.shop, visitorId: "v-redact", customerId });
    await customers.appendMessage({ shop: ctx.shop, conversationId: conversation.id, role: "user", text: "my order?" });
    expect((await outbox.state()).waiting).toBe(2);
    proxy.up();
    // The client's first request may meet a connection the cut left dead (a real network break does that
    // too; the redaction job would be retried): wait until Appwrite answers.
    await vi.waitFor(() => outbox.customerStore.ping(), { timeout: 5000, interval: 50 });
    await customers.redactCustomer(ctx.shop, customerId);
    await drained();
    expect(await direct.countRecords({ shop: ctx.shop, customerId })).toMatchObject({ conversations: 0, messages: 0 });
    expect(await db.prisma.historyOutbox.count({ where: { customerId } })).toBe(0);
  });
});
