// Human handoff over real parts (decision 124): the chat turn (real answer engine, Chroma, local embedder and
// OpenAI-compatible server) hears a request for a person and offers the contact form without asking the
// model; the contact form's endpoint validates, limits and records the request with its context packet in
// SQLite, and records the Flow trigger job with ids only.
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Handoffs, FLOW_TRIGGER_TOPIC } from "../../app/lib/handoff/handoffs.server";
import { LifecycleJobs } from "../../app/lib/lifecycle/lifecycle-jobs.server";
import { handleChatTurn, HANDOFF_NOTE } from "../../app/lib/storefront/chat-turn.server";
import { handleHandoffRequest, type HandoffRequestDeps } from "../../app/lib/storefront/handoff-request.server";
import { createTestDatabase } from "../helpers/database";
import { outdoorCatalog } from "../search/products";
import { createChatEndpointContext, readSse } from "../widget/chat-deps";

const { prisma } = createTestDatabase();
let ctx: Awaited<ReturnType<typeof createChatEndpointContext>>;
let handoffDeps: HandoffRequestDeps;
let queue: Handoffs;
let jobs: LifecycleJobs;
let SHOP: string;

beforeAll(async () => {
  ctx = await createChatEndpointContext(prisma, outdoorCatalog(), {
    limits: { visitorMessagesPerWindow: 50, handoffsPerWindow: 2 },
  });
  SHOP = ctx.shop;
  const log = pino({ level: "silent" });
  // Recorded, never run here: flow-trigger.test.ts runs the job against the store emulator.
  jobs = new LifecycleJobs({ db: prisma, log, plan: () => ({ steps: [] }) });
  const handoffs = (queue = new Handoffs({
    db: prisma,
    messages: (shop, id) => ctx.customers.lastTurns(shop, id, 30),
    conversationOwner: (shop, id) => ctx.customers.conversationOwner(shop, id),
    recordJob: (job) => jobs.record(job),
    queueUrl: (shop) => `https://${shop}/admin/apps/test-key/app/handoffs`,
  }));
  // The app's default body cap (CHAT_MAX_BODY_BYTES) leaves room for the longest valid form.
  handoffDeps = { ...ctx.deps, caps: { ...ctx.deps.caps, maxBodyBytes: 8192 }, handoffs };
});
afterAll(async () => {
  await ctx?.close();
  await prisma.$disconnect();
});
beforeEach(async () => {
  await prisma.chatRateWindow.deleteMany();
  await prisma.handoffRequest.deleteMany();
  await prisma.lifecycleJob.deleteMany();
  ctx.calls.length = 0;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`https://app.example/proxy/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function chat(visitorId: string, message: string, conversationId?: string) {
  const response = await handleChatTurn(ctx.deps, {
    shop: SHOP,
    customerId: null,
    request: post("chat", { message, visitorId, conversationId }),
    client: { via: "direct", socketAddress: "198.51.100.7" },
  });
  const events = await readSse(response);
  const conversation = events.find((event) => event.event === "conversation")?.data as { id: string };
  return { events, conversationId: conversation.id };
}

const handoff = (body: Record<string, unknown>, ip = "198.51.100.7", customerId: string | null = null) =>
  handleHandoffRequest(handoffDeps, {
    shop: SHOP,
    customerId,
    request: post("handoff", body),
    client: { via: "direct", socketAddress: ip },
  });

const form = (visitorId: string, conversationId: string, changes: Record<string, unknown> = {}) => ({
  visitorId,
  conversationId,
  reason: "asked_for_person",
  email: "ada@example.com",
  message: "Can someone tell me if the jacket runs small?",
  consent: true,
  consentText: "I agree that the store may email me about this request.",
  ...changes,
});

describe("a request for a person in the chat", () => {
  it("is answered with the handoff offer, without the model, and kept in the transcript", async () => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    const first = await chat(visitor, "Which waterproof hiking jacket would you suggest?");
    expect(first.events.at(-1)).toEqual({ event: "done", data: { mode: "llm", helped: true } });
    ctx.calls.length = 0;
    const { events } = await chat(visitor, "Can I talk to a real person please?", first.conversationId);
    expect(events.map((event) => event.event)).toEqual(["conversation", "handoff", "done"]);
    expect(events[1].data).toEqual({ reason: "asked_for_person" });
    expect(ctx.calls).toHaveLength(0); // the engine (and so the model) was never asked
    const turns = await ctx.customers.lastTurns(SHOP, first.conversationId, 10);
    expect(turns.map((turn) => turn.text).slice(-2)).toEqual(["Can I talk to a real person please?", HANDOFF_NOTE]);
  });

  it("an answer that cites no product says it did not help (the widget offers a person after two)", async () => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    ctx.llm.script("Sorry, I don't know anything about that.");
    const { events } = await chat(visitor, "Do you sell spare parts for a 1970s tractor?");
    expect(events.at(-1)?.data).toMatchObject({ helped: false });
    ctx.llm.reset();
  });
});

describe("the contact form endpoint", () => {
  it("records the request with its packet (transcript, retrieved products, why) and a Flow job holding ids only", async () => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    const first = await chat(visitor, "Which waterproof hiking jacket would you suggest?");
    await chat(visitor, "I want to speak to a human", first.conversationId);
    const response = await handoff(form(visitor, first.conversationId));
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const row = await prisma.handoffRequest.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      shop: SHOP,
      conversationId: first.conversationId,
      email: "ada@example.com",
      status: "open",
      flowStatus: "pending",
      reason: "asked_for_person",
    });
    const packet = JSON.parse(row.packet) as {
      why: string;
      transcript: { role: string; text: string }[];
      retrieved: string[];
    };
    expect(packet.why).toBe("The shopper asked for a person.");
    expect(packet.transcript.map((line) => line.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(packet.transcript[0].text).toBe("Which waterproof hiking jacket would you suggest?");
    expect(packet.retrieved.length).toBeGreaterThan(0);
    expect(packet.retrieved.every((productId) => productId.startsWith("gid://shopify/Product/"))).toBe(true);
    const job = await prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId: `handoff-flow-${id}` } });
    expect(job).toMatchObject({
      topic: FLOW_TRIGGER_TOPIC,
      status: "pending",
      input: JSON.stringify({ handoffId: id }),
    });
    expect(job.input).not.toContain("ada@example.com");
  });

  it.each([
    ["a bad email", { email: "not-an-email" }, 400, "invalid_email"],
    ["an empty message", { message: "   " }, 400, "invalid_message"],
    ["a message over 2000 characters", { message: "x".repeat(2001) }, 400, "invalid_message"],
    ["no consent", { consent: false }, 400, "invalid_consent"],
    ["an unknown reason", { reason: "because" }, 400, "invalid_reason"],
  ])("refuses %s with a clear error and records nothing", async (_name, changes, status, code) => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    const { conversationId } = await chat(visitor, "human please");
    const response = await handoff(form(visitor, conversationId, changes));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await prisma.handoffRequest.count()).toBe(0);
    expect(await prisma.lifecycleJob.count()).toBe(0);
  });

  it("refuses a body over the size cap, an unissued visitor id and another visitor's conversation", async () => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    const { conversationId } = await chat(visitor, "human please");
    expect((await handoff(form(visitor, conversationId, { consentText: "y".repeat(9000) }))).status).toBe(413);
    expect((await handoff(form("v-forged-0000000000000000", conversationId))).status).toBe(404);
    const stranger = ctx.deps.visitors.issue(SHOP);
    expect((await handoff(form(stranger, conversationId))).status).toBe(404);
    expect(await prisma.handoffRequest.count()).toBe(0);
  });

  it("limits requests per visitor (429 with Retry-After) and per address", async () => {
    const visitor = ctx.deps.visitors.issue(SHOP);
    const { conversationId } = await chat(visitor, "human please");
    expect((await handoff(form(visitor, conversationId))).status).toBe(201);
    expect((await handoff(form(visitor, conversationId))).status).toBe(201);
    const refused = await handoff(form(visitor, conversationId));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await prisma.handoffRequest.count()).toBe(2);
    // Results counts conversations that asked for a person, not requests: two requests, one conversation.
    expect(await queue.conversationsHandedOff(SHOP, new Date(0))).toBe(1);
    expect(await queue.conversationsHandedOff(SHOP, new Date(Date.now() + 60_000))).toBe(0);
    expect(await queue.conversationsHandedOff("another-shop.myshopify.com", new Date(0))).toBe(0);
    // Per address: five times the visitor limit, whatever visitor ids it uses.
    for (let n = 0; n < 8; n++) {
      const other = ctx.deps.visitors.issue(SHOP);
      const chatted = await chat(other, "human please");
      expect((await handoff(form(other, chatted.conversationId))).status).toBe(201);
    }
    const other = ctx.deps.visitors.issue(SHOP);
    const chatted = await chat(other, "human please");
    expect((await handoff(form(other, chatted.conversationId))).status).toBe(429);
    expect((await handoff(form(other, chatted.conversationId), "203.0.113.9")).status).toBe(201);
  });
});
