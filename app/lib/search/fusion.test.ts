import { describe, expect, it } from "vitest";
import { chooseVariant, reciprocalRankFusion, tieredFusion } from "./fusion";

describe("reciprocalRankFusion", () => {
  it("rewards documents ranked well by both lists, with weights", () => {
    const fused = reciprocalRankFusion([
      { ids: ["a", "b", "c"], weight: 1 },
      { ids: ["c", "b", "d"], weight: 1 },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["c", "b", "a", "d"]);
    expect(fused[0].score).toBeCloseTo(1 / 61 + 1 / 63);
    const weighted = reciprocalRankFusion([
      { ids: ["a"], weight: 2 },
      { ids: ["d"], weight: 1 },
    ]);
    expect(weighted.map((f) => f.id)).toEqual(["a", "d"]);
  });
});

describe("tieredFusion", () => {
  const lists = [
    { ids: ["a", "b", "c"], weight: 1 },
    { ids: ["d", "c", "e"], weight: 0.6 },
  ];
  it("ranks the first tier ahead of everything else, each tier in fused order", () => {
    expect(reciprocalRankFusion(lists).map((f) => f.id)).toEqual(["c", "a", "b", "d", "e"]);
    // "a" and "b" hold every word: the vector list's "c" and "d" no longer pass them.
    expect(tieredFusion(lists, new Set(["b", "a"])).map((f) => f.id)).toEqual(["a", "b", "c", "d", "e"]);
    // Within the tier the other list still decides: "c", agreed on by both, leads "a".
    expect(tieredFusion(lists, new Set(["a", "c"])).map((f) => f.id)).toEqual(["c", "a", "b", "d", "e"]);
  });
  it("is plain fusion when the tier is empty or holds everything", () => {
    const plain = reciprocalRankFusion(lists);
    expect(tieredFusion(lists, new Set())).toEqual(plain);
    expect(tieredFusion(lists, new Set(["a", "b", "c", "d", "e"]))).toEqual(plain);
  });
});

describe("chooseVariant", () => {
  const v = (
    id: string,
    price: string,
    options: Record<string, string>,
    available = true,
    sku: string | null = null,
  ) => ({
    id,
    title: id,
    price,
    compareAtPrice: null,
    available,
    sku,
    options,
    imageUrl: null,
  });
  const variants = [
    v("red-m", "30", { Color: "Red", Size: "M" }, true, "R-M"),
    v("blue-m", "35", { Color: "Blue", Size: "M" }, false, "B-M"),
    v("blue-l", "40", { Color: "Blue", Size: "L" }, true, "B-L"),
  ];
  it("prefers the exact SKU, then matching options, stock and price", () => {
    expect(chooseVariant(variants, {}, "b-m")?.id).toBe("blue-m");
    expect(chooseVariant(variants, { options: [{ name: "Color", value: "Blue" }] })?.id).toBe("blue-l");
    expect(chooseVariant(variants, { maxPrice: 32 })?.id).toBe("red-m");
    expect(chooseVariant([], {})).toBeNull();
  });
});
