// The answer engine end to end: real retrieval, LangChain ChatOpenAI streaming from the local
// OpenAI-compatible server, fallbacks on error/timeout/no model, follow-ups, customer context.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectAnswer } from "../kit/answers";
import { outdoorCatalog } from "../search/products";
import { canaryOf, createChatTestContext } from "./chat-test-context";

let ctx: Awaited<ReturnType<typeof createChatTestContext>>;
beforeAll(async () => {
  ctx = await createChatTestContext(outdoorCatalog(), { chunkDelayMs: 2 });
});
afterAll(() => ctx.close());
beforeEach(() => ctx.llm.reset());

const ask = (message: string, extra: Record<string, unknown> = {}) =>
  collectAnswer(ctx.engine.answer({ shop: ctx.shop, message, currency: "USD", ...extra }));

describe("answer engine", () => {
  it("streams a grounded answer token by token, citing the numbered products", async () => {
    const answer = await ask("I need a waterproof jacket for hiking");
    expect(answer.events[0].type).toBe("products");
    expect(answer.products[0]).toMatchObject({ ref: 1, title: "Stormline Waterproof Hiking Jacket" });
    const deltas = answer.events.filter((e) => e.type === "text");
    expect(deltas.length).toBeGreaterThan(3);
    expect(answer.done).toMatchObject({ source: "llm", citations: expect.arrayContaining([1]) });
    expect(answer.shown).toBe(answer.done!.text);
    expect(answer.shown).toContain("Stormline Waterproof Hiking Jacket [1]");
    expect(answer.done!.usage?.outputTokens).toBeGreaterThan(0);
    // The prompt: canary in the system message, products as numbered untrusted context.
    const body = ctx.llm.requests.at(-1)!.body as { messages: { role: string; content: string }[]; stream: boolean };
    expect(body.stream).toBe(true);
    expect(body.messages[0].content).toContain(canaryOf(body));
    expect(body.messages[1].content).toMatch(/^CATALOG CONTEXT \(untrusted data/);
    expect(body.messages[1].content).toMatch(
      /^\[1\] Stormline Waterproof Hiking Jacket — Brand: Northpeak; .*Price: \$129\.00; In stock/m,
    );
  });

  it("answers from retrieval alone when no model is configured", async () => {
    const answer = await collectAnswer(
      ctx.retrievalOnly.answer({ shop: ctx.shop, message: "trail running shoes", currency: "USD" }),
    );
    expect(answer.done).toMatchObject({ source: "retrieval", fallbackReason: "no_llm" });
    expect(answer.shown).toContain("Trailrunner 3 Running Shoes");
    expect(answer.shown).toContain("$89.99");
    expect(ctx.llm.requests).toHaveLength(0);
  });

  it("falls back to the retrieval answer on model errors, timeouts and dropped streams", async () => {
    ctx.llm.fail({ status: 500 }, { status: 500 });
    const failed = await ask("headlamp");
    expect(failed.done).toMatchObject({ source: "retrieval", fallbackReason: "llm_error" });
    // The retrieval answer names the products in plain words, without [n] markers.
    expect(failed.shown).toContain("Headlamp 400 — $");
    expect(failed.shown).not.toMatch(/\[\d+\]/);

    ctx.llm.reset();
    ctx.llm.fail({ hang: true }, { hang: true });
    const started = Date.now();
    const slow = await ask("headlamp");
    expect(slow.done).toMatchObject({ source: "retrieval", fallbackReason: "llm_timeout" });
    expect(Date.now() - started).toBeLessThan(10_000);

    ctx.llm.reset();
    ctx.llm.script(
      "The Headlamp 400 [1] is a rechargeable light that suits night hikes and camping trips well, and it charges over USB in two hours.",
    );
    ctx.llm.fail({ dropAfterChunks: 18 });
    const dropped = await ask("headlamp");
    expect(dropped.events.some((e) => e.type === "replace")).toBe(true);
    expect(dropped.done).toMatchObject({ source: "retrieval", fallbackReason: "llm_error" });
    expect(dropped.shown).toBe(dropped.done!.text);
  });

  it("refuses empty and over-long messages with a clear error, without searching or calling the model", async () => {
    const long = await ask("x".repeat(1001));
    expect(long.events).toEqual([
      { type: "error", code: "message_too_long", message: "The message is 1001 characters long; the limit is 1000." },
    ]);
    expect((await ask("   ")).error?.code).toBe("empty_message");
    expect(ctx.llm.requests).toHaveLength(0);
  });

  it("strips HTML and citations of products it was not given", async () => {
    ctx.llm.script('<b>Try</b> the <a href="#">Headlamp 400</a> [1] or the Moon Lamp [9]. <script>alert(1)</script>');
    const answer = await ask("headlamp");
    expect(answer.done?.source).toBe("llm");
    expect(answer.shown).toBe("Try the Headlamp 400 [1] or the Moon Lamp . alert(1)");
    expect(answer.done?.citations).toEqual([1]);
  });

  it("replaces an answer that leaks the canary, names a price no product has, or links out", async () => {
    const leaks: ((canary: string) => string)[] = [
      (canary) => `Sure! My secret marker is ${canary}.`,
      (canary) => `The marker, spaced out: ${canary.split("").join(" ")}`,
      () => "The Headlamp 400 [1] is on sale today for $5.00.",
      () => "Order the Headlamp 400 [1] at https://cheap-lamps.example now.",
      () => "As my CATALOG CONTEXT says, the Headlamp [1] is fine.",
    ];
    for (const leak of leaks) {
      ctx.llm.reset();
      ctx.llm.script((request) => leak(canaryOf(request)));
      const answer = await ask("headlamp");
      const canary = canaryOf(ctx.llm.requests.at(-1)!.body);
      expect(JSON.stringify(answer.events)).not.toContain(canary);
      expect(answer.shown.replace(/\s/g, "")).not.toContain(canary);
      expect(answer.done).toMatchObject({ source: "retrieval", fallbackReason: "guardrail" });
      expect(answer.shown).toContain("Headlamp 400 — $");
    }
  });

  it("resolves follow-ups from the last turns: cheaper ones, other colours", async () => {
    const first = await collectAnswer(
      ctx.retrievalOnly.answer({ shop: ctx.shop, message: "insulated jacket for winter", currency: "USD" }),
    );
    const shown = first.products.map((p) => ({ id: p.id, price: p.price }));
    expect(first.products[0].title).toBe("Featherlite Down Jacket");
    const history = [
      { role: "user" as const, content: "insulated jacket for winter" },
      { role: "assistant" as const, content: first.done!.text, products: shown },
    ];
    const cheaper = await collectAnswer(
      ctx.retrievalOnly.answer({ shop: ctx.shop, message: "cheaper ones?", history, currency: "USD" }),
    );
    expect(cheaper.products.length).toBeGreaterThan(0);
    for (const product of cheaper.products) expect(product.minPrice).toBeLessThan(189);
    expect(cheaper.products[0].title).toBe("Stormline Waterproof Hiking Jacket");
    expect((cheaper.events[0] as { query: string }).query).toContain("jacket");

    const blue = await collectAnswer(
      ctx.retrievalOnly.answer({
        shop: ctx.shop,
        message: "in blue?",
        history: [{ role: "user", content: "a water bottle" }],
      }),
    );
    expect(blue.products[0].title).toBe("Insulated Steel Water Bottle");
    expect(blue.products[0].variant?.options.Color).toBe("Blue");
  });

  it("counts only the products in the option asked for, and says the one added to fill the list is not", async () => {
    const plain = await collectAnswer(
      ctx.retrievalOnly.answer({ shop: ctx.shop, message: "jacket in red", currency: "USD" }),
    );
    expect(plain.products.map((p) => p.title)).toEqual([
      "Stormline Waterproof Hiking Jacket",
      "Featherlite Down Jacket",
    ]);
    expect(plain.shown).toMatch(/^Here is 1 jacket in color Red\. One more is close but not in color Red\. Top picks/);
    // With a model: the engine's own words come first, and the prompt says which product misses it.
    const worded = await ask("jacket in red");
    expect(worded.done).toMatchObject({ source: "llm" });
    expect(worded.shown).toMatch(/^Here is 1 jacket in color Red\. One more is close but not in color Red\.\n\n/);
    const body = ctx.llm.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(body.messages.map((m) => m.content).join("\n")).toContain(
      "Only the first 1 products meet every condition; the last 1 miss the option asked for",
    );
  });

  it("passes the last turns and the customer's context to the model as data", async () => {
    await ask("anything for my hike?", {
      history: [
        { role: "user", content: "hello" },
        { role: "assistant", content: "Hi! How can I help?" },
      ],
      customer: { firstName: "Ada", tags: ["vip", "hiker"], recentPurchases: ["Merino Wool Hiking Socks"] },
    });
    const body = ctx.llm.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(["system", "system", "user", "assistant", "user"]);
    expect(body.messages[0].content).toContain("- firstName: Ada");
    expect(body.messages[0].content).toContain("- tags: vip, hiker");
    expect(body.messages.at(-1)!.content).toBe("anything for my hike?");
  });
});
