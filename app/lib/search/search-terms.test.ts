import { describe, expect, it } from "vitest";
import { combinationCount, searchTerms, termGroups } from "./search-terms";

describe("search terms", () => {
  it("drops stop words and repeats, folds accents, marks long words as prefixes", () => {
    expect(searchTerms("The Café tent for THE tent")).toEqual([
      { term: "cafe", prefix: true },
      { term: "tent", prefix: true },
    ]);
  });

  it("lists every group of k terms, and counts them", () => {
    expect(termGroups(["a", "b", "c", "d"], 2)).toEqual([
      ["a", "b"],
      ["a", "c"],
      ["a", "d"],
      ["b", "c"],
      ["b", "d"],
      ["c", "d"],
    ]);
    expect(termGroups(["a", "b", "c"], 3)).toEqual([["a", "b", "c"]]);
    expect(termGroups(["a", "b", "c"], 1)).toEqual([["a"], ["b"], ["c"]]);
    for (const [n, k] of [
      [5, 3],
      [6, 2],
      [8, 4],
      [4, 4],
    ]) {
      const items = Array.from({ length: n }, (_, i) => i);
      expect(termGroups(items, k)).toHaveLength(combinationCount(n, k));
    }
    expect(combinationCount(5, 3)).toBe(10);
    expect(combinationCount(8, 4)).toBe(70);
  });
});
