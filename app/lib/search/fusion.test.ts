import { describe, expect, it } from "vitest";
import { chooseVariant, reciprocalRankFusion } from "./fusion";

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
