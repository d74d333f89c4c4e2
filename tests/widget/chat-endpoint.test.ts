// The chat endpoint over real parts: SQLite through Prisma (rate windows, token budget, the
// customers' conversation store) and a small real answer engine (keyword-answer-engine.ts).
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { AbuseLimits, budgetDay } from "../../app/lib/chat/abuse-limits.server";
import {
  handleCartEvent,
  handleChatTurn,
  toWidgetCard,
  type ChatEndpointDeps,
} from "../../app/lib/chat/chat-endpoint.server";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { createTestDatabase } from "../helpers/database";
import { makeProduct, outdoorCatalog } from "../search/products";
import { KeywordAnswerEngine, readSse } from "./keyword-answer-engine";

const SHOP = "chat-endpoint.myshopify.com";
const VISITOR = "visitor-0001";
const { prisma } = createTestDatabase();
afterAll(() => prisma.$disconnect());

let clock = new Date("2026-11-24T10:00:05Z");
const now = () => clock;
const customers = createCustomerService(new PrismaCustomerStore(prisma), { retentionDays: 90, now });
let engine: KeywordAnswerEngine;
let deps: ChatEndpointDeps;

function limits(overrides: Partial<AbuseLimits["settings"]> = {}) {
  return new AbuseLimits(
    prisma,
    {
      windowSeconds: 60,
      visitorMessagesPerWindow: 5,
      shopMessagesPerWindow: 100,
      dailyTokenBudget: 1000,
      ...overrides,
    },
    { now },
  );
}

beforeEach(async () => {
  await prisma.chatRateWindow.deleteMany();
  await prisma.chatTokenUsage.deleteMany();
  await prisma.conversation.deleteMany();
  clock = new Date("2026-11-24T10:00:05Z");
  engine = new KeywordAnswerEngine(outdoorCatalog());
  deps = {
    engine,
    conversations: customers,
    limits: limits(),
    caps: { maxBodyBytes: 2048, maxMessageChars: 200 },
    log: pino({ level: "silent" }),
  };
});

const chatRequest = (body: unknown, headers: Record<string, string> = {}) =>
  new Request("https://app.example/proxy/chat", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const turn = (body: unknown, options: { customerId?: string | null; headers?: Record<string, string> } = {}) =>
  handleChatTurn(deps, {
    shop: SHOP,
    customerId: options.customerId ?? null,
    request: chatRequest(body, options.headers),
  });

describe("a chat turn", () => {
  it("streams the conversation id, product cards, text pieces and done, and records both messages", async () => {
    const response = await turn({ message: "a waterproof hiking jacket?", visitorId: VISITOR });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const events = await readSse(response);
    expect(events[0]).toMatchObject({ event: "conversation", data: { mode: "llm" } });
    const products = events.find((e) => e.event === "products")?.data.products as { title: string; path: string }[];
    expect(products[0]).toMatchObject({
      title: "Stormline Waterproof Hiking Jacket",
      path: "/products/stormline-waterproof-hiking-jacket",
    });
    const pieces = events.filter((e) => e.event === "text");
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((e) => e.data.delta).join("")).toContain("Stormline Waterproof Hiking Jacket");
    expect(events.at(-1)?.event).toBe("done");

    const conversationId = events[0].data.id as string;
    const stored = await customers.getConversation(SHOP, conversationId);
    expect(stored?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(stored?.messages[0].text).toBe("a waterproof hiking jacket?");
    expect(stored?.messages[1].productIds).toContain(
      products[0] && (events[1].data.products as { id: string }[])[0].id,
    );
    expect(await deps.limits.tokensToday(SHOP)).toBe(120);
  });

  it("continues the same conversation and hands the engine the earlier turns", async () => {
    const first = await readSse(await turn({ message: "down jacket", visitorId: VISITOR }));
    const conversationId = first[0].data.id as string;
    const second = await readSse(await turn({ message: "in size M?", visitorId: VISITOR, conversationId }));
    expect(second[0].data.id).toBe(conversationId);
    expect(engine.requests[1].history.map((h) => h.role)).toEqual(["user", "assistant"]);
    expect(engine.requests[1].history[0].text).toBe("down jacket");
  });

  it("never continues another visitor's conversation", async () => {
    const first = await readSse(await turn({ message: "down jacket", visitorId: VISITOR }));
    const other = await readSse(
      await turn({ message: "what did they ask?", visitorId: "visitor-intruder", conversationId: first[0].data.id }),
    );
    expect(other[0].data.id).not.toBe(first[0].data.id);
    expect(engine.requests[1].history).toEqual([]);
  });

  it("gives the engine a verified customer's context and nothing for anonymous shoppers", async () => {
    await customers.store.upsertCustomer({
      shop: SHOP,
      customerId: "7001",
      firstName: "Ada",
      tags: [],
      orderCount: 0,
      marketingConsent: "unknown",
      sourceUpdatedAt: clock,
    });
    await readSse(await turn({ message: "my orders", visitorId: VISITOR }));
    expect(engine.requests[0].customer).toBeNull();
    await readSse(await turn({ message: "my orders", visitorId: VISITOR }, { customerId: "7001" }));
    expect(engine.requests[1].customer).toMatchObject({ customerId: "7001", firstName: "Ada" });
  });
});

describe("size caps (413) before any model call", () => {
  it("refuses a body whose declared length exceeds the cap", async () => {
    const response = await turn({ message: "hi", visitorId: VISITOR }, { headers: { "content-length": "999999" } });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("body_too_large");
    expect(engine.requests).toHaveLength(0);
  });

  it("refuses a body that is larger than the cap whatever its header says", async () => {
    const response = await turn(
      JSON.stringify({ message: "x".repeat(150), visitorId: VISITOR, pad: "y".repeat(4000) }),
    );
    expect(response.status).toBe(413);
    expect(engine.requests).toHaveLength(0);
  });

  it("refuses a message longer than the character cap and stores nothing", async () => {
    const response = await turn({ message: "é".repeat(201), visitorId: VISITOR });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("message_too_long");
    expect(engine.requests).toHaveLength(0);
    expect(await prisma.conversation.count()).toBe(0);
    expect(await prisma.chatRateWindow.count()).toBe(0);
  });

  it("refuses malformed requests with 400 and says why", async () => {
    expect((await turn("not json")).status).toBe(400);
    const badVisitor = await turn({ message: "hi", visitorId: "<script>" });
    expect(badVisitor.status).toBe(400);
    expect((await badVisitor.json()).error.message).toContain("visitorId");
    expect((await turn({ message: "   ", visitorId: VISITOR })).status).toBe(400);
    expect(engine.requests).toHaveLength(0);
  });
});

describe("rate limits (429 + Retry-After)", () => {
  it("limits each visitor per window and tells when to retry; other visitors carry on", async () => {
    for (let i = 0; i < 5; i++) expect((await turn({ message: "jacket", visitorId: VISITOR })).status).toBe(200);
    const refused = await turn({ message: "jacket", visitorId: VISITOR });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("55");
    expect((await refused.json()).error.code).toBe("visitor_rate_limited");
    expect(engine.requests).toHaveLength(5);
    expect((await turn({ message: "jacket", visitorId: "visitor-0002" })).status).toBe(200);
    clock = new Date("2026-11-24T10:01:00Z"); // next window
    expect((await turn({ message: "jacket", visitorId: VISITOR })).status).toBe(200);
  });

  it("limits the whole shop across visitors", async () => {
    deps.limits = limits({ shopMessagesPerWindow: 3 });
    for (let i = 0; i < 3; i++)
      expect((await turn({ message: "jacket", visitorId: `visitor-10${i}0` })).status).toBe(200);
    const refused = await turn({ message: "jacket", visitorId: "visitor-fresh" });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("shop_rate_limited");
  });

  it("counts a logged-in customer as one visitor whatever visitor id each device sends", async () => {
    deps.limits = limits({ visitorMessagesPerWindow: 2 });
    expect((await turn({ message: "a", visitorId: "device-one-1" }, { customerId: "42" })).status).toBe(200);
    expect((await turn({ message: "a", visitorId: "device-two-2" }, { customerId: "42" })).status).toBe(200);
    expect((await turn({ message: "a", visitorId: "device-three" }, { customerId: "42" })).status).toBe(429);
  });

  it("shares its counters through the database: a second instance sees the first one's requests", async () => {
    deps.limits = limits({ visitorMessagesPerWindow: 3 });
    const otherInstance = limits({ visitorMessagesPerWindow: 3 });
    await Promise.all([0, 1, 2].map(() => otherInstance.admitMessage(SHOP, VISITOR)));
    expect((await turn({ message: "jacket", visitorId: VISITOR })).status).toBe(429);
  });
});

describe("daily token budget", () => {
  it("answers retrieval-only once the shop's tokens for the day are spent, and again the next day", async () => {
    deps.limits = limits({ dailyTokenBudget: 200 });
    await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    const third = await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    expect(engine.requests.map((r) => r.mode)).toEqual(["llm", "llm", "retrieval-only"]);
    expect(third[0].data.mode).toBe("retrieval-only");
    expect(third.find((e) => e.event === "products")).toBeDefined();
    expect(await prisma.chatTokenUsage.findMany()).toEqual([
      expect.objectContaining({ shop: SHOP, day: budgetDay(clock), tokens: 240 }),
    ]);
    clock = new Date("2026-11-25T00:00:01Z");
    await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    expect(engine.requests.at(-1)?.mode).toBe("llm");
  });

  it("never calls the model when the budget is 0", async () => {
    deps.limits = limits({ dailyTokenBudget: 0 });
    await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    expect(engine.requests[0].mode).toBe("retrieval-only");
  });
});

describe("failures and rendering safety", () => {
  it("reports an engine failure as a retryable error event and keeps the shopper's message", async () => {
    engine.failAfterText = true;
    const events = await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    expect(events.find((e) => e.event === "error")?.data).toEqual({ code: "answer_failed", retryable: true });
    const conversation = await customers.getConversation(SHOP, events[0].data.id as string);
    expect(conversation?.messages[0]).toMatchObject({ role: "user", text: "jacket" });
  });

  it("puts model text on the wire verbatim as data (the widget renders it as text)", async () => {
    engine.reply = () => `<img src=x onerror="alert(1)"> see [this](https://evil.example)`;
    const events = await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    expect(
      events
        .filter((e) => e.event === "text")
        .map((e) => e.data.delta)
        .join(""),
    ).toBe(`<img src=x onerror="alert(1)"> see [this](https://evil.example)`);
  });

  it("builds card links from the product handle only and drops unsafe handles and image URLs", () => {
    const metadata = buildProductDocument(makeProduct({ title: "Tent", handle: "two-person-tent" })).metadata;
    expect(toWidgetCard({ ...metadata, onlineStoreUrl: "https://evil.example/x" })?.path).toBe(
      "/products/two-person-tent",
    );
    expect(toWidgetCard({ ...metadata, handle: "../../account" })).toBeNull();
    expect(toWidgetCard({ ...metadata, handle: "//evil.example" })).toBeNull();
    expect(toWidgetCard({ ...metadata, imageUrl: "javascript:alert(1)" })?.imageUrl).toBeNull();
    expect(toWidgetCard(metadata)?.variants[0].id).toMatch(/^\d+$/);
  });
});

describe("add-to-cart events", () => {
  it("records an Add to cart in the visitor's own conversation only", async () => {
    const events = await readSse(await turn({ message: "jacket", visitorId: VISITOR }));
    const conversationId = events[0].data.id as string;
    const post = (visitorId: string) =>
      handleCartEvent(deps, {
        shop: SHOP,
        request: chatRequest({ visitorId, conversationId, productId: "9001", variantId: "90011" }),
      });
    expect((await post(VISITOR)).status).toBe(204);
    expect((await post("visitor-intruder")).status).toBe(404);
    const stored = await customers.getConversation(SHOP, conversationId);
    expect(stored?.cartEvents).toHaveLength(1);
  });
});
