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
        options: ["150x200cm", "150X200CM", "150x200CM"].map((value) => ({ name: "Size", value })),
      },
      relaxed: [],
      currency: "GBP",
    });
    expect(text).toContain("size 150x200cm");
    expect(text.match(/150x200cm/gi)).toHaveLength(1);
  });
});
