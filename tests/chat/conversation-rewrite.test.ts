// The LangChain rewrite step end to end (decision 131): the app's non-streaming rewrite client
// (createRewriteModel) against the local OpenAI-compatible server, real retrieval. The model's
// proposal is checked against the shop's vocabulary and the deterministic reading; a failing or
// slow model leaves the deterministic reading.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChatEvent } from "../../app/lib/chat/types";
import { collectAnswer } from "../kit/answers";
import { NO_REWRITE } from "../kit/rewrite-proposal";
import { outdoorCatalog } from "../search/products";
import { createChatTestContext } from "./chat-test-context";

type ProductsEvent = Extract<ChatEvent, { type: "products" }>;

let ctx: Awaited<ReturnType<typeof createChatTestContext>>;
beforeAll(async () => {
  ctx = await createChatTestContext(outdoorCatalog());
});
afterAll(() => ctx.close());
beforeEach(() => ctx.llm.reset());

const ask = async (message: string) => {
  const answer = await collectAnswer(ctx.rewriteEngine.answer({ shop: ctx.shop, message, currency: "USD" }));
  const products = answer.events.find((e): e is ProductsEvent => e.type === "products")!;
  return { ...answer, productsEvent: products };
};

/** The structured-output calls the server received (the rewrite), as the client sent them. */
const rewriteCalls = () =>
  ctx.llm.requests.filter((r) => {
    const body = r.body as { response_format?: { type: string }; tools?: unknown[]; stream?: boolean };
    return body.response_format?.type === "json_schema" || Boolean(body.tools?.length);
  });

const proposal = (values: Record<string, unknown>) => ({ json: { ...NO_REWRITE, ...values } });

describe("the conversation rewrite (LangChain structured output)", () => {
  it("searches the model's standalone query, keeping only types, brands and options the shop has", async () => {
    ctx.llm.script(
      proposal({
        query: "waterproof jacket",
        productTypes: ["Jacket", "Kayaks"],
        vendors: ["Northpeak", "Acme Paddles"],
        options: [
          { name: "Size", value: "M" },
          { name: "Size", value: "XXL" },
        ],
      }),
    );
    const answer = await ask("something for the rain, my usual size is medium");
    const event = answer.productsEvent;
    expect(rewriteCalls()).toHaveLength(1);
    // Sent without streaming: a structured reply read through the streaming client never resolves.
    expect((rewriteCalls()[0].body as { stream?: boolean }).stream).toBeFalsy();
    expect(event.query).toBe("waterproof jacket");
    expect(event.rewrite?.dropped).toEqual(
      expect.arrayContaining(["productTypes: Kayaks", "vendors: Acme Paddles", "options: Size: XXL"]),
    );
    expect(event.requested).toMatchObject({
      productTypes: ["Jacket"],
      vendors: ["Northpeak"],
      options: [{ name: "Size", value: "M" }],
    });
    expect(event.items[0]).toMatchObject({ title: "Stormline Waterproof Hiking Jacket" });
    expect(event.items.every((item) => item.productType === "Jacket")).toBe(true);
  });

  it("keeps the shopper's own price bound and exact code when the model contradicts or drops them", async () => {
    ctx.llm.script(proposal({ query: "tent", maxPrice: 500, sort: "price_desc" }));
    const bounded = await ask("cheapest tent under $250");
    expect(bounded.productsEvent.requested).toMatchObject({ maxPrice: 250, sort: "price_asc" });

    ctx.llm.reset();
    ctx.llm.script(proposal({ query: "running shoes" }));
    const coded = await ask("do you still have SW-TR3-44?");
    expect(coded.productsEvent.query).toBe("running shoes SW-TR3-44");
    expect(coded.productsEvent.items[0]).toMatchObject({ title: "Trailrunner 3 Running Shoes" });
    expect(coded.productsEvent.items[0].variant?.sku).toBe("SW-TR3-44");
  });

  it("an invented kind in the model's query meets the relevance floor: said plainly, no cards", async () => {
    ctx.llm.script(proposal({ query: "kayaks" }));
    const answer = await ask("anything to paddle down a river?");
    expect(answer.productsEvent.none?.asked).toBe("kayaks");
    expect(answer.products).toEqual([]);
    expect(answer.done?.text).toMatch(/^We don't seem to carry kayaks\./);
  });

  it("falls back to the deterministic reading when the model fails or is too slow", async () => {
    const deterministic = await collectAnswer(
      ctx.retrievalOnly.answer({ shop: ctx.shop, message: "headlamp under $50", currency: "USD" }),
    );
    const expected = deterministic.products.map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);

    // Both tries of the rewrite fail (one retry); the answer itself still comes from the model.
    ctx.llm.fail({ status: 500 }, { status: 500 });
    const failed = await ask("headlamp under $50");
    expect(failed.productsEvent.rewrite).toBeUndefined();
    expect(failed.productsEvent.query).toBe("headlamp under $50");
    expect(failed.products.map((p) => p.id)).toEqual(expected);
    expect(failed.done?.source).toBe("llm");

    ctx.llm.reset();
    // Past the rewrite deadline (500 ms here) the deterministic reading is searched.
    ctx.llm.fail({ hang: true });
    const slow = await ask("headlamp under $50");
    expect(slow.productsEvent.rewrite).toBeUndefined();
    expect(slow.products.map((p) => p.id)).toEqual(expected);
  });
});
