// The engine's pure shaping of search results: the kind a title noun names, and what a relaxed
// "cheaper"/"pricier" may still show.
import { describe, expect, it } from "vitest";
import type { ProductCard } from "../search/fusion";
import type { SearchHit } from "../search/product-search.server";
import { ofKind, withinComparison } from "./answer-engine.server";
import { retrievalAnswer } from "./retrieval-answer";
import type { ProductReference } from "./types";

const card = (title: string, productType: string, price: number) =>
  ({ id: title, title, productType, price: price.toFixed(2) }) as ProductCard;
const hits = (cards: ProductCard[]) =>
  cards.map((product) => ({ product, score: 1, matchedBy: ["lexical"] }) as SearchHit);

describe("shaping the products shown", () => {
  it("a kind named by title nouns inside a wider type shows the products that name it", () => {
    const accessories = hits([
      card("Merino Hiking Socks", "Accessories", 32.5),
      card("Merino Beanie", "Accessories", 21),
      card("Trail Socks", "Accessories", 71),
    ]);
    const kind = { asked: "socks", productTypes: ["Accessories"] };
    const shown = ofKind({ kind, filters: { productTypes: ["Accessories"] }, hits: accessories });
    expect(shown.map((h) => h.product.title)).toEqual(["Merino Hiking Socks", "Trail Socks"]);
    // Nothing names it: the kind's types.
    const none = ofKind({
      kind: { asked: "hat", productTypes: ["Accessories"] },
      filters: { productTypes: ["Accessories"] },
      hits: accessories,
    });
    expect(none).toHaveLength(3);
  });

  it("after a relaxed 'cheaper', never shows dearer products as cheaper ones", () => {
    const sorted = [card("A", "Sleep Mask", 29.49), card("B", "Sleep Mask", 45.21)];
    const below = { price: 29.49, direction: "below" as const };
    expect(withinComparison(sorted, below, ["price"]).map((c) => c.title)).toEqual(["A"]);
    // Not relaxed: the search's bound already holds.
    expect(withinComparison(sorted, below, [])).toHaveLength(2);
    // Nothing on the asked side: the nearest one alone.
    expect(withinComparison(sorted, { price: 10, direction: "below" }, ["price"]).map((c) => c.title)).toEqual(["A"]);
  });

  it("names an option value once however many ways the shop spells it", () => {
    const blanket = { ...card("TripNest Flannel Blanket", "Flannel Blanket", 58.32), ref: 1 } as ProductReference;
    const text = retrievalAnswer({
      products: [blanket],
      kind: "flannel blankets",
      requested: {
        options: ["150x200cm", "150X200CM", "150 × 200cm", "150cmX200cm"].map((value) => ({ name: "Size", value })),
      },
      relaxed: [],
      currency: "GBP",
    });
    expect(text).toContain("size 150x200cm");
    expect(text.match(/150/g)).toHaveLength(1);
  });

  it("counts only the products that meet every condition, and says the ones added to fill the list miss it", () => {
    const blankets = ["DriftRest", "TripNest", "GlowNap", "GlobeRest"].map(
      (name, i) => ({ ...card(`${name} Flannel Blanket`, "Flannel Blanket", 50 + i), ref: i + 1 }) as ProductReference,
    );
    const facts = {
      products: blankets,
      kind: "flannel blankets",
      requested: { options: [{ name: "Size", value: "150x200cm" }] },
      relaxed: [],
      currency: "GBP",
    };
    const text = retrievalAnswer({ ...facts, closest: { count: 2, missing: ["options"] } });
    expect(text).toMatch(
      /^Here are 2 flannel blankets in size 150x200cm\. 2 more are close but not in size 150x200cm\./,
    );
    expect(retrievalAnswer({ ...facts, closest: { count: 1, missing: ["options"] }, locale: "fr" })).toMatch(
      /^Voici 3 .* en size 150x200cm\. Un autre est proche, mais pas en size 150x200cm\./,
    );
    // Of another kind, or from another brand.
    expect(retrievalAnswer({ ...facts, requested: {}, closest: { count: 1, missing: ["productTypes"] } })).toMatch(
      /^Here are 3 flannel blankets\. One more is close but of another kind\./,
    );
    const fromBrand = retrievalAnswer({
      ...facts,
      requested: { vendors: ["Spacire"] },
      closest: { count: 3, missing: ["vendors"] },
    });
    expect(fromBrand).toMatch(/^Here is 1 flannel blanket from Spacire\. 3 more are close but not from Spacire\./);
    // Every product meets it: no such sentence.
    expect(retrievalAnswer(facts)).toMatch(/^Here are 4 flannel blankets in size 150x200cm\. Top picks/);
    // A dropped price is said first; the closest sentence follows it.
    const relaxed = retrievalAnswer({
      ...facts,
      requested: { ...facts.requested, maxPrice: 20 },
      relaxed: ["price"],
      closest: { count: 2, missing: ["options"] },
    });
    expect(relaxed).toMatch(
      /^No flannel blankets under £20\.00; the cheapest is .*\. 2 more are close but not in size/,
    );
  });
});
