// L6 (issue 15): the output cap and the deadline. Every chat call carries LLM_MAX_TOKENS as the
// provider's max_tokens and reserves at least that much; a reply longer than the cap is cut by the
// provider and still answered; a provider that stalls (before the first byte, or mid-stream) hits the
// deadline: the shopper gets the retrieval answer and the call's tokens are settled once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectAnswer } from "../kit/answers";
import { AnswerEngine } from "../../app/lib/chat/answer-engine.server";
import { createChatModel } from "../../app/lib/chat/chat-model.server";
import type { TokenSpend } from "../../app/lib/chat/types";
import { startOpenAiCompatibleServer, type ChatCompletionRequest } from "../../tools/openai-compatible/server";
import { outdoorCatalog } from "../search/products";
import { testEnv } from "../search/search-test-context";
import { createChatTestContext } from "./chat-test-context";

const MAX_TOKENS = 180;
const TIMEOUT_MS = 1500;

/** A TokenSpend that admits every call and records what was held and settled. */
function recordingSpend() {
  const calls: Array<{ reserved: number; settled: number[] }> = [];
  const spend: TokenSpend = {
    async reserve(tokens) {
      const call = { reserved: tokens, settled: [] as number[] };
      calls.push(call);
      return { tokens, settle: async (used) => void call.settled.push(used) };
    },
  };
  return { spend, calls };
}

const envFor = (url: string) =>
  testEnv({
    LLM_PROVIDER: "openai",
    LLM_BASE_URL: url,
    LLM_API_KEY: "sk-chat-test",
    LLM_MAX_TOKENS: String(MAX_TOKENS),
    LLM_TIMEOUT_MS: String(TIMEOUT_MS),
  });

let ctx: Awaited<ReturnType<typeof createChatTestContext>>;
let engine: AnswerEngine;
/** The engine as app/services.server.ts builds it from the environment, against `url`. */
const engineFor = (url: string) => {
  const env = envFor(url);
  return new AnswerEngine({
    search: ctx.search,
    chatModel: createChatModel(env),
    timeoutMs: env.LLM_TIMEOUT_MS,
    maxOutputTokens: env.LLM_MAX_TOKENS,
  });
};
beforeAll(async () => {
  ctx = await createChatTestContext(outdoorCatalog());
  engine = engineFor(ctx.llm.url);
});
afterAll(() => ctx.close());
beforeEach(() => ctx.llm.reset());

const ask = (message: string, spend: TokenSpend, using = engine) =>
  collectAnswer(using.answer({ shop: ctx.shop, message, currency: "USD", spend }));
const capOf = (body: unknown) => {
  const request = body as ChatCompletionRequest;
  return request.max_tokens ?? request.max_completion_tokens;
};

describe("L6: max_tokens and the model deadline", () => {
  it("sends max_tokens on every call and reserves at least that much", async () => {
    const { spend, calls } = recordingSpend();
    const questions = ["waterproof jacket", "headlamp for night hikes", "running shoes", "a warm sleeping bag"];
    for (const question of [...questions, ...questions.map((q) => `cheap ${q}`)]) await ask(question, spend);
    const chats = ctx.llm.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(chats.length).toBe(8);
    expect(chats.map((r) => capOf(r.body))).toEqual(Array(8).fill(MAX_TOKENS));
    expect(calls).toHaveLength(8);
    for (const call of calls) {
      expect(call.reserved).toBeGreaterThan(MAX_TOKENS);
      expect(call.settled).toHaveLength(1);
    }
  });

  it("a reply longer than the cap is cut at max_tokens and still answered", async () => {
    const { spend, calls } = recordingSpend();
    ctx.llm.script(`The Headlamp 400 [1] ${"is bright and ".repeat(200)}light.`);
    const answer = await ask("headlamp", spend);
    expect(answer.done).toMatchObject({ source: "llm" });
    // The script is ~600 words, streamed a word a chunk; the shopper got what fits in the cap.
    expect(answer.shown.trim().split(/\s+/).length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(answer.shown.trim().split(/\s+/).length).toBeGreaterThan(MAX_TOKENS / 2);
    expect(calls[0].settled[0]).toBeLessThanOrEqual(calls[0].reserved);
  });

  it("a provider that never answers hits the deadline: retrieval answer, tokens settled once", async () => {
    const { spend, calls } = recordingSpend();
    ctx.llm.fail({ hang: true }, { hang: true });
    const answer = await ask("headlamp", spend);
    expect(answer.done).toMatchObject({ source: "retrieval", fallbackReason: "llm_timeout" });
    expect(answer.shown).toContain("Headlamp 400");
    expect(calls).toHaveLength(1);
    expect(calls[0].settled).toHaveLength(1);
    expect(calls[0].settled[0]).toBeGreaterThan(0);
  });

  it("a provider that stalls mid-stream hits the deadline: the shown words are replaced, tokens settled once", async () => {
    const slow = await startOpenAiCompatibleServer({ apiKey: "sk-chat-test", chunkDelayMs: 40 });
    try {
      const { spend, calls } = recordingSpend();
      slow.script(`The Headlamp 400 [1] ${"is a good light for the trail and ".repeat(15)}camp.`);
      const answer = await ask("headlamp", spend, engineFor(slow.url));
      expect(answer.events.some((e) => e.type === "text")).toBe(true);
      expect(answer.events.some((e) => e.type === "replace")).toBe(true);
      expect(answer.done).toMatchObject({ source: "retrieval", fallbackReason: "llm_timeout" });
      expect(calls[0].settled).toHaveLength(1);
      expect(calls[0].settled[0]).toBeGreaterThan(calls[0].reserved - MAX_TOKENS);
      expect(capOf(slow.requests.at(-1)!.body)).toBe(MAX_TOKENS);
    } finally {
      await slow.close();
    }
  });
});
