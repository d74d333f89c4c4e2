import { describe, expect, it } from "vitest";
import { knowledgeHash, MAX_PASSAGE_CHARS, passagesFromHtml, passagesOf } from "./passages";
import { contentStems, coverageOf, covers, rankPassages, stem } from "./knowledge-ranking";

describe("passagesFromHtml", () => {
  it("makes one passage per paragraph, each under the heading it sits under", () => {
    const passages = passagesFromHtml(
      "<p>Intro text.</p><h2>Returns</h2><p>Return within 60 days.</p><p>Tags attached.</p><h2>Refunds</h2><p>Ten business days.</p>",
    );
    expect(passages).toEqual([
      { heading: null, text: "Intro text." },
      { heading: "Returns", text: "Return within 60 days." },
      { heading: "Returns", text: "Tags attached." },
      { heading: "Refunds", text: "Ten business days." },
    ]);
  });

  it("cuts a long paragraph at sentence ends, keeping every word", () => {
    const sentence = "Our carrier collects parcels every weekday afternoon from the warehouse door. ";
    const paragraph = sentence.repeat(20).trim();
    const passages = passagesFromHtml(`<p>${paragraph}</p>`);
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(passages.map((p) => p.text).join(" ")).toBe(paragraph);
  });

  it("keeps a Q&A entry whole, its question as the heading", () => {
    expect(passagesOf({ kind: "qa", sourceId: "q1", title: "Gift wrap?", url: null, body: " Yes, for $5. " })).toEqual([
      { heading: "Gift wrap?", text: "Yes, for $5." },
    ]);
  });

  it("changes the hash when the text, title or link changes, not otherwise", () => {
    const source = {
      kind: "page" as const,
      sourceId: "p",
      title: "Size guide",
      url: "/pages/size-guide",
      body: "<p>M</p>",
    };
    expect(knowledgeHash(source)).toBe(knowledgeHash({ ...source }));
    expect(knowledgeHash({ ...source, body: "<p>L</p>" })).not.toBe(knowledgeHash(source));
    expect(knowledgeHash({ ...source, title: "Sizes" })).not.toBe(knowledgeHash(source));
    expect(knowledgeHash({ ...source, url: "/pages/sizes" })).not.toBe(knowledgeHash(source));
  });
});

describe("ranking", () => {
  it("stems plurals and tenses together and drops question words", () => {
    expect(stem("returns")).toBe(stem("returned"));
    expect(contentStems("What's your return policy?")).toEqual(["return", "policy"]);
  });

  const passage = (id: number, text: string, heading: string | null = null) => ({
    id,
    sourceTitle: "Policy",
    heading,
    text,
    vector: [],
  });

  it("ranks the passage holding the question's words first and reports what each lacks", () => {
    const ranked = rankPassages("can I return a used tent", null, [
      passage(1, "Standard shipping is free on orders over $75."),
      passage(2, "A used tent can come back within 60 days.", "Returns"),
    ]);
    expect(ranked[0].passage.id).toBe(2);
    expect(ranked[0].missing).toEqual([]); // "return" meets the heading's "Returns"
    expect(ranked.find((r) => r.passage.id === 1)).toBeUndefined();
  });

  it("covers a question only with enough of its words, or a close vector and a shared word", () => {
    expect(coverageOf(["return", "tent"], ["tent"])).toBe(0.5);
    expect(covers(0.5, 0)).toBe(true);
    expect(covers(0.25, 0.3)).toBe(false);
    expect(covers(0.25, 0.8)).toBe(true);
    expect(covers(0, 0.9)).toBe(false);
  });
});
