import { describe, expect, it } from "vitest";
import { buildVocabulary, matchesFilters, normalizePhrase, optionGroups, parseQuery } from "./query-parser";

const vocabulary = buildVocabulary([
  { productType: "Jacket", vendor: "Northpeak", optionValues: "|Size:M|Color:Blue|Size:L|Color:Navy Blue|" },
  { productType: "Running Shoes", vendor: "Stride Well", optionValues: "|Size:42|Color:Green|" },
  { productType: "Bottle", vendor: "Ridgeway", optionValues: "|Title:Default Title|" },
]);

describe("parseQuery", () => {
  it.each([
    ["jacket under $50", { maxPrice: 50 }],
    ["jacket below 49.99 dollars", { maxPrice: 49.99 }],
    ["shoes less than £80", { maxPrice: 80 }],
    ["bottle over 20", { minPrice: 20 }],
    ["at least $100 tent", { minPrice: 100 }],
    ["between 20 and 40", { minPrice: 20, maxPrice: 40 }],
    ["from $40 to $20 socks", { minPrice: 20, maxPrice: 40 }],
    ["$20-$40 socks", { minPrice: 20, maxPrice: 40 }],
    ["around $100", { minPrice: 80, maxPrice: 120 }],
  ])("reads the price in %j", (query, expected) => {
    expect(parseQuery(query).filters).toMatchObject(expected);
  });

  it("reads sort and stock words and strips them from the text", () => {
    expect(parseQuery("cheapest waterproof jacket in stock")).toEqual({
      original: "cheapest waterproof jacket in stock",
      text: "waterproof jacket",
      filters: { sort: "price_asc", inStock: true },
    });
    expect(parseQuery("most expensive tent").filters.sort).toBe("price_desc");
    expect(parseQuery("model 2000 tent").filters).toEqual({});
  });

  it("maps the catalog's own types, vendors and option values to filters", () => {
    const parsed = parseQuery("blue northpeak jackets size M", vocabulary);
    expect(parsed.filters.productTypes).toEqual(["Jacket"]);
    expect(parsed.filters.vendors).toEqual(["Northpeak"]);
    expect(parsed.filters.options).toEqual([
      { name: "Color", value: "Blue" },
      { name: "Size", value: "M" },
    ]);
    expect(parseQuery("navy blue running shoes by stride well", vocabulary).filters).toMatchObject({
      productTypes: ["Running Shoes"],
      vendors: ["Stride Well"],
      options: [{ name: "Color", value: "Navy Blue" }],
    });
  });

  it("does not take a product type inside a prepositional phrase as the thing wanted", () => {
    expect(parseQuery("light to read in the jacket at night", vocabulary).filters.productTypes).toBeUndefined();
    expect(parseQuery("bottle for running shoes", vocabulary).filters.productTypes).toEqual(["Bottle"]);
    expect(parseQuery("jacket for hiking", vocabulary).filters.productTypes).toEqual(["Jacket"]);
  });

  it("takes a named type with its sub-types, and a word naming the type as no option value", () => {
    const shop = buildVocabulary([
      { productType: "Blanket", vendor: "", optionValues: "" },
      { productType: "Flannel Blanket", vendor: "", optionValues: "" },
      { productType: "Coral Fleece Blanket", vendor: "", optionValues: "" },
      { productType: "Blanket Hook", vendor: "", optionValues: "" },
      { productType: "Pillowcase", vendor: "", optionValues: "|Style:Pillowcase|Style:Pillow|Color:Grey|" },
    ]);
    // A flannel blanket is a blanket; a blanket hook is not.
    expect(parseQuery("soft blankets", shop).filters.productTypes?.sort()).toEqual([
      "Blanket",
      "Coral Fleece Blanket",
      "Flannel Blanket",
    ]);
    expect(parseQuery("flannel blanket", shop).filters.productTypes).toEqual(["Flannel Blanket"]);
    expect(parseQuery("grey pillowcase", shop).filters).toEqual({
      productTypes: ["Pillowcase"],
      options: [{ name: "Color", value: "Grey" }],
    });
  });

  it("ignores short or numeric option values without their option name", () => {
    expect(parseQuery("I'm a jacket m 42", vocabulary).filters.options).toBeUndefined();
    expect(parseQuery("shoes size 42", vocabulary).filters.options).toEqual([{ name: "Size", value: "42" }]);
    expect(parseQuery("default title", vocabulary).filters.options).toBeUndefined();
  });

  it("normalises phrases (case, accents, plurals)", () => {
    expect(normalizePhrase("Café Batteries, BOXES & Jackets")).toBe("cafe battery box jacket");
  });

  it("reads a dimension or a measured quantity however it is written, without a cue", () => {
    for (const written of ["150x200cm", "150 × 200 cm", "150cm x 200cm", "150X200CM", "150*200 cm"]) {
      expect(normalizePhrase(written)).toBe("150x200cm");
    }
    expect(normalizePhrase("500 ml bottle")).toBe("500ml bottle");
    // "in" stays a word: "size 10 in black" is no ten-inch anything.
    expect(normalizePhrase("size 10 in black")).toBe("size 10 in black");
    const shop = buildVocabulary([
      { productType: "Flannel Blanket", vendor: "", optionValues: "|Size:150×200cm|Size:200×230cm|Color:Grey|" },
      { productType: "Perfume", vendor: "", optionValues: "|Size:50 ml|Size:100ml|" },
      { productType: "Coffee", vendor: "", optionValues: "|Weight:250 g|Weight:1kg|" },
    ]);
    expect(parseQuery("flannel blanket in 150x200cm", shop).filters).toEqual({
      productTypes: ["Flannel Blanket"],
      options: [{ name: "Size", value: "150×200cm" }],
    });
    expect(parseQuery("perfume 50ml", shop).filters.options).toEqual([{ name: "Size", value: "50 ml" }]);
    expect(parseQuery("coffee beans 250g", shop).filters.options).toEqual([{ name: "Weight", value: "250 g" }]);
    // A bare number is still no size without its option's name.
    expect(parseQuery("150 blankets", shop).filters.options).toBeUndefined();
  });
});

const product = {
  minPrice: 20,
  maxPrice: 60,
  available: true,
  productType: "Jacket",
  vendor: "Northpeak",
  optionValues: "|Size:M|Color:Blue|",
};

describe("matchesFilters", () => {
  it("applies price overlap, stock, type, vendor and options (alternatives within one option)", () => {
    expect(matchesFilters(product, { maxPrice: 25 })).toBe(true);
    expect(matchesFilters(product, { maxPrice: 19 })).toBe(false);
    expect(matchesFilters(product, { minPrice: 61 })).toBe(false);
    expect(matchesFilters({ ...product, available: false }, { inStock: true })).toBe(false);
    expect(matchesFilters(product, { productTypes: ["Tent"] })).toBe(false);
    expect(matchesFilters(product, { vendors: ["Northpeak"] })).toBe(true);
    expect(
      matchesFilters(product, {
        options: [
          { name: "Color", value: "Red" },
          { name: "Color", value: "Blue" },
        ],
      }),
    ).toBe(true);
    expect(
      matchesFilters(product, {
        options: [
          { name: "Color", value: "Blue" },
          { name: "Size", value: "L" },
        ],
      }),
    ).toBe(false);
    // Whole pairs only: a value that spans the delimiter is not one the product has.
    expect(matchesFilters(product, { options: [{ name: "Size", value: "M|Color:Blue" }] })).toBe(false);
  });
});

describe("option values from a messy catalog", () => {
  it("reads a word under every option name the shop files it under, as alternatives, and never a type's words", () => {
    const rows = [
      { productType: "Eye Mask", vendor: "", optionValues: "|Color:Pink|Color:Black|" },
      { productType: "Eye Mask", vendor: "", optionValues: "|Color:Pink|Color:Eye Mask|" },
      { productType: "Eye Mask", vendor: "", optionValues: "|colour:Pink|" },
      { productType: "Sleep Mask", vendor: "", optionValues: "|pattern:Pink|" },
      { productType: "Eye Mask", vendor: "", optionValues: "|Color:Black|" },
    ];
    const messy = buildVocabulary(rows);
    const parsed = parseQuery("a pink eye mask", messy);
    expect(parsed.filters.productTypes).toEqual(["Eye Mask"]);
    expect(parsed.filters.options).toEqual([
      { name: "Color", value: "Pink" },
      { name: "colour", value: "Pink" },
      { name: "pattern", value: "Pink" },
    ]);
    // One group: each pink product passes, whatever its option is called; the black one does not.
    const options = parsed.filters.options!;
    expect(optionGroups(options)).toEqual([options]);
    expect(rows.map((row) => matchesFilters({ ...product, ...row }, { options }))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("groups option filters by shared name or value: alternatives within a group, every group to hold", () => {
    const size = [
      { name: "Size", value: "150x200cm" },
      { name: "Size Specification", value: "150X200CM" },
      { name: "Size", value: "180x200cm" },
    ];
    const colour = [
      { name: "Color", value: "Red" },
      { name: "Color", value: "Blue" },
    ];
    expect(optionGroups([size[0], colour[0], size[1], colour[1], size[2]])).toEqual([
      [size[0], size[1], size[2]],
      [colour[0], colour[1]],
    ]);
    const held = (optionValues: string) =>
      matchesFilters({ ...product, optionValues }, { options: [...size, ...colour] });
    expect(held("|Size Specification:150X200CM|Color:Blue|")).toBe(true);
    expect(held("|Size:180x200cm|Color:Red|")).toBe(true);
    expect(held("|Size Specification:150X200CM|")).toBe(false);
    expect(held("|Size:150X200CM|Color:Red|")).toBe(false);
    expect(optionGroups([])).toEqual([]);
  });

  it("a shade's last word names its colour when the shop has no plain value of it", () => {
    const shades = buildVocabulary([
      { productType: "Rain Jackets", vendor: "", optionValues: "|Color:Ember Red|Color:Forest Green|Color:Green|" },
    ]);
    expect(parseQuery("a red rain jacket", shades).filters.options).toEqual([{ name: "Color", value: "Ember Red" }]);
    // "green" is a plain value here: the shade does not stand in for it.
    expect(parseQuery("a green rain jacket", shades).filters.options).toEqual([{ name: "Color", value: "Green" }]);
  });
});
