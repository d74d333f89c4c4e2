import { describe, expect, it } from "vitest";
import { isFollowUp, resolveFollowUp } from "./follow-up";
import type { ChatTurn } from "./types";

const history: ChatTurn[] = [
  { role: "user", content: "Do you have a waterproof jacket?" },
  {
    role: "assistant",
    content: "Yes: …",
    products: [
      { id: "a", price: "129.00" },
      { id: "b", price: "89.00" },
    ],
  },
];

describe("follow-ups", () => {
  it("recognises refinements only when there is an earlier question", () => {
    expect(isFollowUp("cheaper ones?", history)).toBe(true);
    expect(isFollowUp("in blue?", history)).toBe(true);
    expect(isFollowUp("what about Northpeak?", history)).toBe(true);
    expect(isFollowUp("I need a tent for four people in the mountains", history)).toBe(false);
    expect(isFollowUp("cheaper ones?", [])).toBe(false);
  });

  it("searches the refinement with the earlier question and bounds the price by the first product", () => {
    expect(resolveFollowUp("cheaper ones?", history)).toEqual({
      query: "a waterproof jacket",
      filters: { maxPrice: 128.99, sort: "price_asc" },
      isFollowUp: true,
    });
    expect(resolveFollowUp("in blue?", history).query).toBe("a waterproof jacket in blue");
    expect(resolveFollowUp("more expensive ones", history).filters).toEqual({ minPrice: 129.01, sort: "price_desc" });
    const chained: ChatTurn[] = [
      ...history,
      { role: "user", content: "in blue?" },
      { role: "assistant", content: "…" },
    ];
    expect(resolveFollowUp("size M?", chained).query).toBe("a waterproof jacket in blue size M");
  });
});
