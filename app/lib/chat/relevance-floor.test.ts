import { describe, expect, it } from "vitest";
import type { SearchHit } from "../search/product-search.server";
import { notCarried, unknownThing } from "./relevance-floor";

const known = new Set(["silk", "pillowcase", "eye", "mask", "bed", "cover", "warm", "blanket"]);
const knownWord = (word: string) => known.has(word);
const hit = (title: string, productType: string, matchedBy: SearchHit["matchedBy"]) =>
  ({ product: { title, productType }, score: 1, matchedBy }) as unknown as SearchHit;
const result = (text: string, hits: SearchHit[]) => ({
  kind: null,
  query: { original: text, text, filters: {} },
  hits,
});

describe("the relevance floor", () => {
  it("fires when only the vector ranking found anything", () => {
    expect(notCarried(result("do you sell kayaks?", [hit("Silk Pillowcase", "Pillowcase", ["vector"])]))).toEqual({
      asked: "kayaks",
      nearestKinds: ["Pillowcase"],
    });
  });

  it("fires when other words matched but the thing asked for is no word of the shop", () => {
    const hits = [
      hit("Silk Pillowcase", "Pillowcase", ["lexical", "vector"]),
      hit("Bed Cover", "Blanket", ["lexical"]),
    ];
    expect(notCarried(result("silk pyjamas", hits), false, knownWord)?.asked).toBe("pyjamas");
    expect(notCarried(result("I'm looking for a bed frame", hits), false, knownWord)?.asked).toBe("frame");
    // The thing is the shop's: nothing to say.
    expect(notCarried(result("silk pillowcase", hits), false, knownWord)).toBeUndefined();
    // About a product shown, or without the shop's words to compare with: as before.
    expect(notCarried(result("silk pyjamas", hits), true, knownWord)).toBeUndefined();
    expect(notCarried(result("silk pyjamas", hits))).toBeUndefined();
  });

  it("does not judge words that describe rather than name", () => {
    expect(unknownThing("something cosy", "cosy", knownWord)).toBe(false);
    expect(unknownThing("a lighter one", "lighter", knownWord)).toBe(false);
    expect(unknownThing("and hammocks?", "hammocks", knownWord)).toBe(true);
  });
});
