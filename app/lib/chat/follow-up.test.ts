import { describe, expect, it } from "vitest";
import { refinementOptions, refinesTopic, resolveConversation, type KindKeyOf } from "./follow-up";
import type { ChatTurn } from "./types";

// The shop's kinds as the search would name them: a key per kind word.
const KINDS: Record<string, string> = {
  jacket: "Rain Jackets|Insulated Jackets",
  anorak: "Rain Jackets|Insulated Jackets",
  backpack: "Backpacks",
  tent: "Tents",
};
const kindOf: KindKeyOf = async (text) => {
  const word = Object.keys(KINDS).find((kind) => new RegExp(`\\b${kind}s?\\b`, "i").test(text));
  return word ? KINDS[word] : null;
};

const history: ChatTurn[] = [
  { role: "user", content: "a waterproof jacket under $150 for hiking" },
  {
    role: "assistant",
    content: "…",
    products: [
      { id: "a", price: "142.50", title: "Bracken Waterproof Anorak" },
      { id: "b", price: 91.5, title: "Juniper Rain Jacket" },
      { id: "c", price: "126.50", title: "Drumlin Waterproof Anorak" },
    ],
  },
];

describe("conversation state", () => {
  it("tells refinements from questions that stand on their own", () => {
    expect(refinesTopic("cheaper ones?")).toBe(true);
    expect(refinesTopic("in blue?")).toBe(true);
    expect(refinesTopic("from Fjordline")).toBe(true);
    expect(refinesTopic("in stock only")).toBe(true);
    expect(refinesTopic("do you have it in size M?")).toBe(true);
    expect(refinesTopic("I need a tent for four people in the mountains")).toBe(false);
  });

  it("a first question is its own topic", async () => {
    expect(await resolveConversation("cheaper ones?", [], kindOf)).toEqual({
      query: "cheaper ones?",
      filters: {},
      isFollowUp: false,
    });
  });

  it("cheaper keeps the topic, bounds the price below the first product shown and sorts by price", async () => {
    expect(await resolveConversation("cheaper ones?", history, kindOf)).toEqual({
      query: "a waterproof jacket under $150 for hiking",
      filters: { maxPrice: 142.49, sort: "price_asc" },
      isFollowUp: true,
      comparedTo: { price: 142.5, direction: "below" },
      referent: undefined,
    });
    const pricier = await resolveConversation("more expensive ones", history, kindOf);
    expect(pricier.filters).toEqual({ minPrice: 142.51, sort: "price_desc" });
  });

  it("refinements carry the earlier turns' constraints, shown products and kind", async () => {
    const turns: ChatTurn[] = [
      ...history,
      { role: "user", content: "cheaper ones?" },
      { role: "assistant", content: "…", products: [{ id: "b", price: "91.50", title: "Juniper Rain Jacket" }] },
    ];
    const sized = await resolveConversation("do you have it in size M?", turns, kindOf);
    expect(sized.query).toBe("a waterproof jacket under $150 for hiking in size M");
    // The price bound and order of "cheaper ones?" still hold.
    expect(sized.filters).toEqual({ maxPrice: 142.49, sort: "price_asc" });
    const vendor = await resolveConversation(
      "from Fjordline",
      [...turns, { role: "user", content: "in size M?" }],
      kindOf,
    );
    expect(vendor.query).toBe("a waterproof jacket under $150 for hiking in size M from Fjordline");
    expect(vendor.filters.maxPrice).toBe(142.49);
  });

  it("a price bound the answer had to drop is not carried into later refinements", async () => {
    const turns: ChatTurn[] = [
      ...history,
      { role: "user", content: "cheaper ones?" },
      // Nothing was cheaper than 142.50: the answer showed the nearest, above the bound.
      { role: "assistant", content: "No jackets cheaper than …", products: [{ id: "d", price: 150, title: "Isle" }] },
    ];
    const sized = await resolveConversation("in size M?", turns, kindOf);
    expect(sized.filters).toEqual({ sort: "price_asc" });
    expect(sized.comparedTo).toBeUndefined();
  });

  it("the second one is the second product shown", async () => {
    const second = await resolveConversation("is the second one waterproof?", history, kindOf);
    expect(second.referent).toEqual({ id: "b", price: 91.5, title: "Juniper Rain Jacket" });
    expect(second.query).toBe("Juniper Rain Jacket is waterproof");
    expect(second.filters).toEqual({});
    // "Cheaper than that one": below the product pointed at.
    const cheaper = await resolveConversation("anything cheaper than the third one?", history, kindOf);
    expect(cheaper.filters).toEqual({ maxPrice: 126.49, sort: "price_asc" });
  });

  it("another kind starts a new topic, even as a short follow-up", async () => {
    expect(await resolveConversation("any tents?", history, kindOf)).toEqual({
      query: "any tents?",
      filters: {},
      isFollowUp: false,
    });
    // The same kind in other words is still the topic.
    expect((await resolveConversation("any anoraks?", history, kindOf)).isFollowUp).toBe(true);
  });
});

describe("pronouns and refinements by value", () => {
  const optionsOf = (text: string) =>
    refinementOptions(text, {
      optionValues: new Map([
        ["long", [{ name: "Length", value: "Long" }]],
        ["wide", [{ name: "Width", value: "Wide" }]],
        // Values a messy catalog may have that are also everyday words.
        ["a", [{ name: "style", value: "A" }]],
        ["one", [{ name: "Pack", value: "One" }]],
      ]),
    });

  it("a bare 'it' is the first product shown, with the topic's constraints kept", async () => {
    const stock = await resolveConversation("is it in stock?", history, kindOf);
    expect(stock.referent?.id).toBe("a");
    expect(stock.referentBy).toBe("pronoun");
    expect(stock.query).toBe("a waterproof jacket under $150 for hiking is in stock");
    const second = await resolveConversation("tell me about the second one", history, kindOf);
    expect(second.referentBy).toBe("ordinal");
    expect(second.query).toBe("Juniper Rain Jacket tell me about");
  });

  it("a refinement naming an option value applies it without the option's name", async () => {
    expect(optionsOf("a long")).toEqual([{ name: "Length", value: "Long" }]);
    expect(optionsOf("in wide")).toEqual([{ name: "Width", value: "Wide" }]);
    const long = await resolveConversation("a long one", history, kindOf, optionsOf);
    expect(long.isFollowUp).toBe(true);
    expect(long.filters.options).toEqual([{ name: "Length", value: "Long" }]);
    // Carried into the next refinement, with the kind's query.
    const cheaper = await resolveConversation(
      "cheaper?",
      [
        ...history,
        { role: "user", content: "a long one" },
        { role: "assistant", content: "…", products: [{ id: "b", price: 91.5 }] },
      ],
      kindOf,
      optionsOf,
    );
    expect(cheaper.filters).toMatchObject({ options: [{ name: "Length", value: "Long" }], maxPrice: 91.49 });
  });

  it("a message of filters alone refines the topic", () => {
    expect(refinesTopic("size 10 in stock?")).toBe(true);
    expect(refinesTopic("under $50 please")).toBe(true);
  });
});
