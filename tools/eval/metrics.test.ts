import { describe, expect, it } from "vitest";
import { meanScores, ndcgAt, recallAt, reciprocalRank } from "./metrics";

const judgements = new Map([
  ["a", 2],
  ["b", 1],
  ["c", 2],
  ["d", 0],
]);

describe("retrieval metrics", () => {
  it("recall@k counts exact products, capped at k", () => {
    expect(recallAt(["a", "x", "c"], judgements, 10)).toBe(1);
    expect(recallAt(["x", "a"], judgements, 10)).toBe(0.5);
    expect(recallAt(["a"], judgements, 1)).toBe(1);
    expect(recallAt(["a"], new Map(), 10)).toBe(0);
  });

  it("nDCG@k is 1 for the ideal order and lower otherwise", () => {
    expect(ndcgAt(["a", "c", "b"], judgements, 10)).toBeCloseTo(1);
    const swapped = ndcgAt(["b", "a", "c"], judgements, 10);
    expect(swapped).toBeLessThan(1);
    expect(swapped).toBeCloseTo((1 + 2 / Math.log2(3) + 2 / 2) / (2 + 2 / Math.log2(3) + 1 / 2));
    expect(ndcgAt(["d", "x"], judgements, 10)).toBe(0);
  });

  it("MRR uses the first exact product", () => {
    expect(reciprocalRank(["b", "d", "c"], judgements)).toBeCloseTo(1 / 3);
    expect(reciprocalRank(["b"], judgements)).toBe(0);
    expect(
      meanScores([
        { recall: 1, ndcg: 0.5, mrr: 0 },
        { recall: 0, ndcg: 0.5, mrr: 1 },
      ]),
    ).toEqual({
      recall: 0.5,
      ndcg: 0.5,
      mrr: 0.5,
    });
  });
});
