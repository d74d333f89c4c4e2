// The abuse run of issue 15 (L5, decision 105): 1,000 chat messages from 100 rotating visitor ids and
// 3 client addresses, half of them leaving after the answer's first words, against the real chat turn:
// limits and conversations on SQLite and (when the suite has one) Postgres, the real answer engine over
// Chroma, ChatOpenAI against the local OpenAI-compatible server. A normal shopper with their own id and
// address keeps asking meanwhile. Two app instances (two AbuseLimits over one database) take turns.
// Ten rounds of a minute each: the limits' clock moves, nothing here waits on time. It asserts the
// budgets hold — what was charged and what the model provider billed — per shop day, per visitor and
// per address, and that the shopper got model answers throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import type { AnswerRequest, ChatEvent } from "../../app/lib/chat/types";
import { budgetDay, type AbuseLimitSettings } from "../../app/lib/storefront/abuse-limits.server";
import { handleChatTurn, type StorefrontChatDeps } from "../../app/lib/storefront/chat-turn.server";
import { suiteDatabases } from "../helpers/postgres-database";
import { outdoorCatalog } from "../search/products";
import { createChatEndpointContext, readSse } from "./chat-deps";

const ROUNDS = 10;
const MESSAGES_PER_ROUND = 100; // 1,000 in all
const VISITORS = 100;
const ATTACKER_IPS = ["203.0.113.11", "203.0.113.12", "203.0.113.13"];
const SHOPPER_IP = "198.51.100.200";
const CONCURRENCY = 25;

const SETTINGS: Partial<AbuseLimitSettings> = {
  windowSeconds: 60,
  visitorMessagesPerWindow: 5,
  ipMessagesPerWindow: 10,
  shopMessagesPerWindow: 100,
  dailyTokenBudget: 60_000,
  shopTokensPerMinute: 0,
  globalDailyTokenBudget: 0,
  // Shares: a visitor 20 % of the day, an address 20 %: the attack's three addresses can take 60 %.
  visitorTokenShare: 0.2,
  ipTokenShare: 0.2,
};
const BUDGET = SETTINGS.dailyTokenBudget as number;

const databases = suiteDatabases("aisle_abuse");

let prisma: PrismaClient;
let clock = new Date("2026-11-24T10:00:05Z");
let ctx: Awaited<ReturnType<typeof createChatEndpointContext>>;
let deps: StorefrontChatDeps;
/** A second app instance: its own AbuseLimits over the same database (every other message goes to it). */
let otherInstance: StorefrontChatDeps;
/** Answers still running (a turn whose shopper left goes on until the engine has settled its tokens). */
const running = new Set<Promise<void>>();

async function setUp(database: PrismaClient) {
  prisma = database;
  clock = new Date("2026-11-24T10:00:05Z");
  // The model writes a word every 2 ms, so a shopper who leaves does so in the middle of an answer.
  ctx = await createChatEndpointContext(prisma, outdoorCatalog(), {
    now: () => clock,
    limits: SETTINGS,
    chunkDelayMs: 2,
  });
  const engine = ctx.deps.engine;
  deps = {
    ...ctx.deps,
    engine: {
      answer(request: AnswerRequest): AsyncIterable<ChatEvent> {
        let finished!: () => void;
        const done = new Promise<void>((resolve) => (finished = resolve));
        running.add(done);
        const inner = engine.answer(request);
        return (async function* () {
          try {
            yield* inner;
          } finally {
            finished();
            running.delete(done);
          }
        })();
      },
    },
  };
  otherInstance = { ...deps, limits: ctx.makeLimits() };
}

interface Outcome {
  status: number;
  mode?: string;
  left?: boolean;
}

async function send(
  instance: StorefrontChatDeps,
  visitorId: string,
  ip: string,
  leaveAfterFirstText: boolean,
): Promise<Outcome> {
  const leave = new AbortController();
  const response = await handleChatTurn(instance, {
    shop: ctx.shop,
    customerId: null,
    request: new Request("https://app.example/proxy/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "a waterproof hiking jacket?", visitorId }),
      signal: leave.signal,
    }),
    client: { via: "direct", socketAddress: ip },
  });
  if (response.status !== 200) {
    await response.text();
    return { status: response.status };
  }
  if (leaveAfterFirstText) {
    // Read to the first words of the answer (or its end, when it has none), then go.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    while (!received.includes("event: text")) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    leave.abort();
    await reader.cancel();
    return { status: 200, left: true };
  }
  const events = await readSse(response);
  const done = events.find((event) => event.event === "done");
  return { status: 200, mode: done?.data.mode as string | undefined };
}

describe.each(databases)("L5 abuse run on $name: 1,000 messages, 100 rotating ids, 3 addresses", ({ name, open }) => {
  let db: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    db = await open();
    await setUp(db.prisma);
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
  });

  it("never charges or lets the provider spend more than the budgets, and a normal shopper keeps getting model answers", async () => {
    const attackers = Array.from({ length: VISITORS }, () => deps.visitors.issue(ctx.shop));
    const shopper = deps.visitors.issue(ctx.shop);
    const outcomes: Outcome[] = [];
    const shopperModes: (string | undefined)[] = [];
    const shopperStatuses: number[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      clock = new Date(Date.parse("2026-11-24T10:00:05Z") + round * 60_000);
      for (let start = 0; start < MESSAGES_PER_ROUND; start += CONCURRENCY) {
        const batch = Array.from({ length: CONCURRENCY }, (_, j) => {
          const n = round * MESSAGES_PER_ROUND + start + j;
          // Messages alternate between the two instances; leaving early alternates in pairs, so both
          // instances see both kinds.
          const instance = n % 2 === 0 ? deps : otherInstance;
          return send(instance, attackers[n % VISITORS], ATTACKER_IPS[n % ATTACKER_IPS.length], n % 4 >= 2);
        });
        // The shopper asks in the middle of every round, alongside the attack.
        if (start === 50) {
          batch.push(
            send(round % 2 ? deps : otherInstance, shopper, SHOPPER_IP, false).then((outcome) => {
              shopperStatuses.push(outcome.status);
              shopperModes.push(outcome.mode);
              return { ...outcome, status: -1 }; // not counted with the attack's outcomes
            }),
          );
        }
        outcomes.push(...(await Promise.all(batch)).filter((outcome) => outcome.status !== -1));
      }
    }
    // Answers whose shoppers left are still settling their tokens: wait for every one to end.
    while (running.size) await Promise.all([...running]);

    const day = budgetDay(clock);
    const charged = (await prisma.chatTokenUsage.findMany({ where: { shop: ctx.shop, day } })).reduce(
      (sum, row) => sum + row.tokens,
      0,
    );
    // What the provider spent: every completion it generated, whole, whether or not anyone read it.
    const modelRequests = ctx.llm.requests.filter((request) => request.path.endsWith("/chat/completions"));
    const providerSpent = ctx.llm.billed.reduce((sum, usage) => sum + usage.total_tokens, 0);
    const windows = await prisma.chatRateWindow.findMany({ where: { key: { startsWith: "tokens:" } } });
    const perVisitor = windows.filter((row) => row.key.startsWith(`tokens:visitor:${ctx.shop}:`)).map((r) => r.count);
    const perAddress = windows.filter((row) => row.key.startsWith(`tokens:ip:${ctx.shop}:`)).map((r) => r.count);

    const admitted = outcomes.filter((o) => o.status === 200);
    const figures = {
      messages: outcomes.length,
      admitted: admitted.length,
      refused429: outcomes.filter((o) => o.status === 429).length,
      leftEarly: admitted.filter((o) => o.left).length,
      answeredLlm: admitted.filter((o) => o.mode === "llm").length,
      answeredRetrievalOnly: admitted.filter((o) => o.mode === "retrieval-only").length,
      modelRequests: modelRequests.length,
      tokensCharged: charged,
      providerSpent,
      budget: BUDGET,
      maxPerVisitor: Math.max(0, ...perVisitor),
      visitorShare: Math.floor(BUDGET * (SETTINGS.visitorTokenShare as number)),
      maxPerAddress: Math.max(0, ...perAddress),
      addressShare: Math.floor(BUDGET * (SETTINGS.ipTokenShare as number)),
      shopperLlmAnswers: shopperModes.filter((mode) => mode === "llm").length,
    };
    console.log(`abuse run (${name}): ${JSON.stringify(figures)}`);

    expect(outcomes).toHaveLength(ROUNDS * MESSAGES_PER_ROUND);
    expect(outcomes.every((o) => o.status === 200 || o.status === 429)).toBe(true);
    // Three addresses, ten messages each a minute: the rest is refused whatever ids rotate.
    expect(figures.admitted).toBe(ROUNDS * ATTACKER_IPS.length * (SETTINGS.ipMessagesPerWindow as number));
    expect(figures.leftEarly).toBeGreaterThan(0);
    expect(figures.answeredRetrievalOnly).toBeGreaterThan(0); // the shares ran out: graceful, not an error
    expect(charged).toBeGreaterThan(0);
    expect(charged).toBeLessThanOrEqual(BUDGET);
    expect(providerSpent).toBeLessThanOrEqual(BUDGET);
    expect(figures.maxPerVisitor).toBeLessThanOrEqual(figures.visitorShare);
    expect(figures.maxPerAddress).toBeLessThanOrEqual(figures.addressShare);
    // The attack's three addresses together took at most their three shares; the shopper was never refused.
    expect(perAddress.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(BUDGET);
    expect(shopperStatuses).toEqual(Array(ROUNDS).fill(200));
    expect(shopperModes).toEqual(Array(ROUNDS).fill("llm"));
  });
});
