import { describe, expect, it } from "vitest";
import { knowledgeAnswerText, planKnowledgeAnswer, UNCOVERED_TEXT, type KnowledgeCandidate } from "./knowledge-answer";
import type { ProductReference } from "./types";

const product = (ref: number, title: string, productType: string) =>
  ({ ref, id: `gid://shopify/Product/${ref}`, title, productType }) as ProductReference;
const candidate = (text: string, missing: string[], title = "Refund policy"): KnowledgeCandidate => ({
  passage: { kind: "policy", sourceTitle: title, url: "/policies/refund-policy", heading: "Returns", text },
  score: 1,
  cosine: 0.2,
  missing,
});

const tent = product(1, "Ridge 2 Tent", "Tents");
const stove = product(2, "Trail Stove", "Camp Kitchen");

describe("planKnowledgeAnswer", () => {
  it("quotes the covering passage and shows no products for a pure store question", () => {
    const plan = planKnowledgeAnswer(
      "What's your return policy?",
      [candidate("Return within 60 days.", ["policy"])],
      [tent, stove],
    );
    expect(plan.sources).toEqual([
      {
        ref: 1,
        kind: "policy",
        title: "Refund policy",
        url: "/policies/refund-policy",
        quote: "Return within 60 days.",
      },
    ]);
    expect(plan.products).toEqual([]);
    expect(knowledgeAnswerText(plan, null)).toBe(
      'Our Refund policy (/policies/refund-policy) says: "Return within 60 days."',
    );
  });

  it("adds the products the question names beside the policy, renumbered", () => {
    const plan = planKnowledgeAnswer(
      "Can I return the tent if I used it once?",
      [candidate("Used gear can come back.", ["tent", "once"])],
      [stove, tent],
    );
    expect(plan.sources).toHaveLength(1);
    expect(plan.products.map((p) => [p.ref, p.title])).toEqual([[1, "Ridge 2 Tent"]]);
  });

  it("does not quote a passage that shares only a word with the question", () => {
    const plan = planKnowledgeAnswer(
      "Do you offer a student discount on returns?",
      [candidate("Return within 60 days.", ["offer", "student", "discount"])],
      [tent],
    );
    expect(plan.sources).toEqual([]);
    expect(plan.uncovered).toBe(true);
    expect(knowledgeAnswerText(plan, null)).toBe(UNCOVERED_TEXT);
  });

  it("leaves a product question to the products", () => {
    const plan = planKnowledgeAnswer(
      "lightweight tent for two",
      [candidate("Return within 60 days.", ["lightweight", "tent", "two"])],
      [tent],
    );
    expect(plan).toEqual({ sources: [], products: [tent], uncovered: false });
  });

  it("leaves a request for products to the products, even where a page shares one of its words", () => {
    const guide = [
      candidate("If your feet swell on long hikes, go up half a size.", ["waterproof", "150"], "Size guide"),
    ];
    const request = planKnowledgeAnswer("a waterproof tent under $150 for hiking", guide, [tent]);
    expect(request).toEqual({ sources: [], products: [tent], uncovered: false });
    // Asked as a question, the same words may be the store's to answer.
    expect(planKnowledgeAnswer("do tents run small for hiking?", guide, [tent]).sources).toHaveLength(1);
  });

  it("leaves a thing the shop does not carry to the products' 'we don't carry', unless a store topic is asked", () => {
    const sells = [
      candidate("No, we only sell gear.", ["kayak"], "Do you rent tents or other gear?"),
      candidate("We never sell your personal information.", ["kayak"], "Privacy policy"),
    ];
    // Without the search's verdict, a passage sharing "sell" covers the question.
    expect(planKnowledgeAnswer("do you sell kayaks?", sells, []).sources).toHaveLength(2);
    expect(planKnowledgeAnswer("do you sell kayaks?", sells, [], "kayaks")).toEqual({
      sources: [],
      products: [],
      uncovered: false,
    });
    // A store topic is still the store's to answer.
    const rental = [candidate("We do not rent kayaks.", [], "Do you rent tents or other gear?")];
    expect(planKnowledgeAnswer("can I rent a kayak?", rental, [], "kayak").sources).toHaveLength(1);
    // A passage that holds the thing asked about still answers ("do you sell my personal information?").
    const privacy = [candidate("We never sell your personal information.", [], "Privacy policy")];
    expect(
      planKnowledgeAnswer("do you sell my personal information?", privacy, [], "personal information").sources,
    ).toHaveLength(1);
  });
});
