import { describe, expect, it } from "vitest";
import { feedbackQueryVector, rankByVector } from "./relevance-feedback";

const candidates = new Map<string, number[]>([
  ["boots", [1, 0, 0]],
  ["jacket", [0.8, 0.6, 0]],
  ["shell", [0.6, 0.8, 0]],
  ["socks", [0, 0, 1]],
]);

describe("relevance feedback", () => {
  it("ranks candidates by cosine similarity, whatever their length, ties by id", () => {
    expect(rankByVector([2, 0, 0], candidates)).toEqual(["boots", "jacket", "shell", "socks"]);
    const scaled = new Map([
      ["b", [0, 5, 0]],
      ["a", [0, 1, 0]],
      ["near", [0.1, 1, 0]],
    ]);
    expect(rankByVector([0, 1, 0], scaled)).toEqual(["a", "b", "near"]);
  });

  it("leaves out candidates it cannot compare: another size, or no direction", () => {
    const mixed = new Map([
      ["other-model", [1, 0]],
      ["zero", [0, 0, 0]],
      ["kept", [1, 1, 0]],
    ]);
    expect(rankByVector([1, 0, 0], mixed)).toEqual(["kept"]);
  });

  it("moves the query towards the feedback documents by the weight given", () => {
    // The query alone prefers boots; with the shells as feedback, the jacket and the shell come first.
    const query = [1, 0.1, 0];
    expect(rankByVector(query, candidates)[0]).toBe("boots");
    const moved = feedbackQueryVector(query, [candidates.get("shell")!], 1);
    expect(rankByVector(moved, candidates).slice(0, 2)).toEqual(["jacket", "shell"]);
    // A small weight keeps the query's own order.
    expect(rankByVector(feedbackQueryVector(query, [candidates.get("shell")!], 0.05), candidates)[0]).toBe("boots");
  });

  it("weighs the query and the feedback mean as unit vectors, so a long feedback vector does not dominate", () => {
    const query = [1, 0, 0];
    const short = feedbackQueryVector(query, [[0, 1, 0]], 0.5);
    const long = feedbackQueryVector(query, [[0, 100, 0]], 0.5);
    long.forEach((value, i) => expect(value).toBeCloseTo(short[i], 12));
    expect(short[0]).toBeCloseTo(1, 12);
    expect(short[1]).toBeCloseTo(0.5, 12);
    // The mean of two documents, not their sum.
    const two = feedbackQueryVector(
      query,
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      1,
    );
    expect(two).toEqual([1, 0.5, 0.5]);
  });

  it("is the query itself without usable feedback, and does not change its inputs", () => {
    const query = [3, 4, 0];
    const feedback = [[0, 1, 0]];
    expect(feedbackQueryVector(query, [], 0.7)).toEqual([0.6, 0.8, 0]);
    expect(feedbackQueryVector(query, [[1, 0]], 0.7)).toEqual([0.6, 0.8, 0]);
    expect(feedbackQueryVector(query, feedback, 0)).toEqual([0.6, 0.8, 0]);
    feedbackQueryVector(query, feedback, 1);
    expect(query).toEqual([3, 4, 0]);
    expect(feedback).toEqual([[0, 1, 0]]);
  });
});
