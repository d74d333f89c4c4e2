import { describe, expect, it } from "vitest";
import { combinationCount, searchTerms, termGroups } from "./search-terms";

describe("search terms", () => {
  it("drops stop words and repeats, folds accents", () => {
    expect(searchTerms("The Café tent for THE tent")).toEqual([
      { term: "cafe", prefix: false },
      { term: "tent", prefix: true },
    ]);
  });

  it("expands only the last word, and only when it is at least four letters long", () => {
    expect(searchTerms("glacier blue rain jacket size M")).toEqual(
      ["glacier", "blue", "rain", "jacket", "size", "m"].map((term) => ({ term, prefix: false })),
    );
    expect(searchTerms("blue rain jack")).toEqual([
      { term: "blue", prefix: false },
      { term: "rain", prefix: false },
      { term: "jack", prefix: true },
    ]);
    expect(searchTerms("rain jac")).toEqual([
      { term: "rain", prefix: false },
      { term: "jac", prefix: false },
    ]);
    // A finished last word (a space or punctuation after it) and a stop word at the end expand nothing.
    expect(searchTerms("waterproof jacket ").every((t) => !t.prefix)).toBe(true);
    expect(searchTerms("waterproof jacket?").every((t) => !t.prefix)).toBe(true);
    expect(searchTerms("waterproof jacket for").every((t) => !t.prefix)).toBe(true);
    expect(searchTerms("waterp")).toEqual([{ term: "waterp", prefix: true }]);
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
