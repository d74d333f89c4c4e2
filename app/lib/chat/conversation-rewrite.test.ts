import { describe, expect, it } from "vitest";
import { buildVocabulary } from "../search/query-parser";
import {
  checkRewrite,
  conversationRewriteSchema,
  rewritePrompt,
  type ConversationRewrite,
} from "./conversation-rewrite";
import { NO_REWRITE } from "../../../tests/kit/rewrite-proposal";

const vocabulary = buildVocabulary([
  { productType: "Rain Jackets", vendor: "Fjordline", optionValues: "|Size:M|Size:L|Color:Ember Red|" },
  { productType: "Tents", vendor: "Cairn & Co", optionValues: "|Capacity:2 person|" },
]);

const propose = (values: Partial<ConversationRewrite>) => conversationRewriteSchema.parse({ ...NO_REWRITE, ...values });

describe("checking a model's rewrite against the shop and the parser", () => {
  it("keeps types, brands and option values the shop has, in its spelling, and drops invented ones", () => {
    const checked = checkRewrite(
      propose({
        query: "rain jacket",
        productTypes: ["rain jackets", "Kayaks"],
        vendors: ["FJORDLINE", "Acme"],
        options: [
          { name: "size", value: "m" },
          { name: "Size", value: "XXL" },
          { name: "Length", value: "Long" },
        ],
      }),
      { query: "something for the rain", filters: {} },
      "something for the rain",
      vocabulary,
    );
    expect(checked.filters).toEqual({
      productTypes: ["Rain Jackets"],
      vendors: ["Fjordline"],
      options: [{ name: "Size", value: "M" }],
    });
    expect(checked.dropped).toEqual([
      "productTypes: Kayaks",
      "vendors: Acme",
      "options: Size: XXL",
      "options: Length: Long",
    ]);
  });

  it("the parser's price bounds, order and options win over the model's; its codes are put back", () => {
    const checked = checkRewrite(
      propose({
        query: "tent",
        maxPrice: 500,
        sort: "price_desc",
        options: [{ name: "Capacity", value: "2 person" }],
      }),
      // "cheaper ones?" after tents under $250: the follow-up's bound is below the first shown.
      { query: "tents under $250 NP-TENT-2", filters: { maxPrice: 199.99, sort: "price_asc" } },
      "cheaper ones? like NP-TENT-2",
      vocabulary,
    );
    expect(checked.query).toBe("tent NP-TENT-2");
    expect(checked.filters).toEqual({
      maxPrice: 199.99,
      sort: "price_asc",
      options: [{ name: "Capacity", value: "2 person" }],
    });
    expect(checked.dropped).toEqual(["price: –…500"]);
  });

  it("takes the model's bounds when the shopper named none, and refuses an impossible range", () => {
    const plain = { query: "rain jacket", filters: {} };
    expect(checkRewrite(propose({ query: "rain jacket", maxPrice: 80 }), plain, "x", vocabulary).filters).toEqual({
      maxPrice: 80,
    });
    const upsideDown = checkRewrite(
      propose({ query: "rain jacket", minPrice: 90, maxPrice: 20 }),
      plain,
      "x",
      vocabulary,
    );
    expect(upsideDown.filters).toEqual({});
    expect(upsideDown.dropped).toEqual(["price: 90…20"]);
    // An empty query is the deterministic one.
    expect(checkRewrite(propose({ query: "  " }), plain, "x", vocabulary).query).toBe("rain jacket");
  });

  it("tells the model the shop's types and brands, and marks the conversation as data", () => {
    const [system, human] = rewritePrompt({
      message: "cheaper ones?",
      history: [
        { role: "user", content: "rain jackets" },
        { role: "assistant", content: "Here are…", products: [{ id: "1", title: "Isle Rain Jacket", price: 91.5 }] },
      ],
      productTypes: ["Rain Jackets", "Tents"],
      vendors: ["Fjordline"],
    });
    expect(String(system.content)).toContain("Product types: Rain Jackets; Tents");
    expect(String(system.content)).toContain("Brands: Fjordline");
    expect(String(human.content)).toContain("Assistant: Here are… [shown: 1. Isle Rain Jacket (91.5)]");
    expect(String(human.content)).toMatch(/Shopper \(latest\): cheaper ones\?\n<\/conversation>$/);
  });
});
