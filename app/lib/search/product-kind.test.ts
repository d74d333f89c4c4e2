import { describe, expect, it } from "vitest";
import { askedNoun, buildKindVocabulary, detectKind, titleHeadNoun } from "./product-kind";

// A slice shaped like the demo catalog: types, and titles whose last word is the thing.
const rows = [
  ["Rain Jackets", "Alder Rain Jacket"],
  ["Rain Jackets", "Basalt Storm Shell"],
  ["Rain Jackets", "Fennel Waterproof Anorak"],
  ["Rain Jackets", "Kelp Waterproof Anorak"],
  ["Insulated Jackets", "Alder Belay Parka"],
  ["Insulated Jackets", "Ember Down Jacket"],
  ["Hiking Boots", "Basalt Waterproof Hiker"],
  ["Hiking Boots", "Cirrus Hiking Boot"],
  ["Backpacks", "Hollow Daypack"],
  ["Backpacks", "Quarry Travel Pack"],
  ["Sleeping Bags", "Dune Down Bag"],
  ["Headlamps & Lights", "Tarn Camp Lantern"],
  ["Tents", "Gale Trekking Tent"],
  ["Accessories", "Merino Hiking Socks"],
  ["Accessories", "Merino Trail Socks"],
  ["Accessories", "Sun Hat"],
  // A generic last word over many types is not a kind.
  ["Tents", "Tent Repair Set"],
  ["Camp Kitchen", "Cook Set"],
  ["Accessories", "Gift Set"],
  ["Headlamps & Lights", "Lamp Set"],
  ["Backpacks", "Strap Set"],
  ["", "Untyped Widget"],
].map(([productType, title]) => ({ productType, title }));
const vocabulary = buildKindVocabulary(rows);
const kind = (text: string) => detectKind(text, vocabulary);

describe("product kind", () => {
  it("finds the kind in types and title head nouns, singular or plural, and ranks types by use", () => {
    expect(kind("a waterproof jacket under $150 for hiking")).toEqual({
      asked: "jacket",
      productTypes: ["Rain Jackets", "Insulated Jackets"],
    });
    expect(kind("hiking boots")).toEqual({ asked: "hiking boots", productTypes: ["Hiking Boots"] });
    expect(kind("merino socks")?.productTypes).toEqual(["Accessories"]);
    expect(kind("do you have lights?")?.productTypes).toEqual(["Headlamps & Lights"]);
    expect(kind("sleeping bags for winter")?.asked).toBe("sleeping bags");
  });

  it("reaches anoraks, parkas and shells from jacket, and packs from backpack, through the shop's own words", () => {
    expect(kind("anoraks")?.productTypes[0]).toBe("Rain Jackets");
    expect(kind("a parka")?.productTypes).toEqual(["Insulated Jackets", "Rain Jackets"]);
    expect(kind("a rucksack")?.productTypes).toEqual(["Backpacks"]);
    // "Waterproof Hiker" is a boot in this shop.
    expect(kind("waterproof hikers")?.productTypes).toEqual(["Hiking Boots"]);
  });

  it("treats what follows a preposition as a use or context, not the kind", () => {
    expect(kind("something for hiking")).toBeNull();
    expect(kind("a light to read in the tent")?.productTypes).toEqual(["Headlamps & Lights"]);
    expect(kind("a bag for my tent")?.productTypes).toEqual(["Sleeping Bags"]);
    expect(kind("something for my tent")).toBeNull();
  });

  it("knows nothing of words the shop does not use, nor of generic title words", () => {
    expect(kind("do you sell kayaks?")).toBeNull();
    expect(kind("a set")).toBeNull();
    expect(kind("widgets")).toBeNull();
    expect(vocabulary.productTypes[0]).toBe("Rain Jackets");
  });

  it("names the thing asked for when the shop does not carry it", () => {
    expect(askedNoun("do you sell kayaks?")).toBe("kayaks");
    expect(askedNoun("Do you have any Surfboards for beginners?")).toBe("surfboards");
    expect(askedNoun("do you have it in size M?")).toBeNull();
    expect(askedNoun("anything?")).toBeNull();
  });

  it("reads a title's head noun past markup and detail tails", () => {
    expect(titleHeadNoun("<b>Storm</b> Shell - Men's")).toBe("shell");
    expect(titleHeadNoun("Trail Runners (2024)")).toBe("runner");
    expect(titleHeadNoun("Mug 350")).toBeNull();
  });
});

describe("the shop's words", () => {
  it('lists every title and type word, and reads past "I\'m looking for"', () => {
    expect(vocabulary.words.has("socks".replace(/s$/, ""))).toBe(true);
    expect(vocabulary.words.has("lantern")).toBe(true);
    expect(vocabulary.words.has("kayak")).toBe(false);
    expect(askedNoun("I'm looking for a bed frame")).toBe("frame");
  });
});
