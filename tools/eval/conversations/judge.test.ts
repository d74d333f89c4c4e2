// The conversation judge and file format: each predicate passes what it should and fails what it
// should, naming the product; a bad file is refused with every problem's path.
import { describe, expect, it } from "vitest";
import { parseConversationFile, type Expectation } from "./conversation-file";
import { foldWords, isKind, judgeTurn, measureOf, saysNone, unsatisfiable, type ShownProduct } from "./judge";

function product(id: string, title: string, productType: string, minPrice: number, more: Partial<ShownProduct> = {}) {
  return {
    id,
    title,
    productType,
    vendor: "Fjordline",
    available: true,
    minPrice,
    variants: [
      { available: true, options: { Size: "S" } },
      { available: false, options: { Size: "M" } },
    ],
    ...more,
  } satisfies ShownProduct;
}

const anorak = product("a", "Dune Waterproof Anorak", "Rain Jackets", 120);
const shell = product("b", "Basalt Storm Shell", "Rain Jackets", 95, { vendor: "Northpeak" });
const boot = product("c", "Basalt Waterproof Hiker", "Hiking Boots", 140);
const judge = (expect: Expectation, items: ShownProduct[], text = "", previous?: ShownProduct[]) =>
  judgeTurn(expect, { items, text }, previous && { judged: previous, items: previous }, 3);

describe("kind", () => {
  it("folds case, accents and plurals, and matches whole words of the type or title", () => {
    expect(foldWords("Sleeping Bags & Quilts")).toBe("sleeping bag quilt");
    expect(foldWords("Boxes, Batteries, Glasses")).toBe("box battery glass");
    expect(isKind(anorak, ["jacket"])).toBe(true);
    expect(isKind(anorak, ["anorak"])).toBe(true);
    expect(isKind(boot, ["jacket"])).toBe(false);
    expect(isKind(product("d", "Packable Rain Jacket", "", 1), ["pack"])).toBe(false);
  });

  it("fails a turn whose judged products include another kind, naming it", () => {
    expect(judge({ kind: ["jacket"] }, [anorak, shell]).pass).toBe(true);
    const verdict = judge({ kind: ["jacket"] }, [anorak, boot]);
    expect(verdict.pass).toBe(false);
    expect(verdict.failures[0]).toContain("Basalt Waterproof Hiker");
    // Only the first `top` are judged.
    expect(judge({ kind: ["jacket"], top: 2 }, [anorak, shell, boot]).pass).toBe(true);
    expect(judge({ kind: ["jacket"] }, []).failures).toContain("shows no products");
  });
});

describe("price", () => {
  it("checks fixed bounds on the cheapest variant", () => {
    expect(judge({ maxPrice: 120 }, [anorak, shell]).pass).toBe(true);
    expect(judge({ maxPrice: 100 }, [anorak, shell]).pass).toBe(false);
    expect(judge({ minPrice: 100 }, [anorak, shell]).failures[0]).toContain("Basalt Storm Shell");
  });

  it("'lower': nothing pricier than the priciest shown before, and no dearer floor", () => {
    const before = [anorak, shell]; // 120, 95
    expect(judge({ price: "lower" }, [shell, product("e", "X", "Rain Jackets", 80)], "", before).pass).toBe(true);
    // The cheapest already shown may be shown again.
    expect(judge({ price: "lower" }, [shell], "", before).pass).toBe(true);
    expect(judge({ price: "lower" }, [anorak], "", before).pass).toBe(false);
    expect(judge({ price: "lower" }, [product("f", "Y", "Rain Jackets", 110)], "", before).failures).toEqual([
      "cheapest now 110.00 > 95.00 before",
    ]);
    expect(judge({ price: "lower" }, [shell], "", []).pass).toBe(false);
  });

  it("'higher' mirrors it", () => {
    const before = [anorak, shell];
    expect(judge({ price: "higher" }, [product("g", "Z", "Rain Jackets", 150)], "", before).pass).toBe(true);
    expect(judge({ price: "higher" }, [anorak], "", before).pass).toBe(true);
    expect(judge({ price: "higher" }, [shell], "", before).pass).toBe(false);
  });
});

describe("vendor, option, stock, references, text", () => {
  it("vendor compares folded names", () => {
    expect(judge({ vendor: "fjordline" }, [anorak]).pass).toBe(true);
    expect(judge({ vendor: "Fjordline" }, [anorak, shell]).pass).toBe(false);
  });

  it("option needs a variant with the value, in stock when asked", () => {
    expect(judge({ option: { name: "Size", value: "M" } }, [anorak]).pass).toBe(true);
    expect(judge({ option: { name: "Size", value: "M", inStock: true } }, [anorak]).pass).toBe(false);
    expect(judge({ option: { value: "s", inStock: true } }, [anorak]).pass).toBe(true);
    expect(judge({ option: { name: "Color", value: "S" } }, [anorak]).pass).toBe(false);
  });

  it("option reads a dimension however the catalog writes it", () => {
    const blanket = (size: string) =>
      product("d", "Flannel Blanket", "Blanket", 40, { variants: [{ available: true, options: { Size: size } }] });
    for (const size of ["150×200cm", "150cmX200cm", "150X200CM", "150 x 200 cm"]) {
      expect(judge({ option: { value: "150x200cm" } }, [blanket(size)]).pass).toBe(true);
    }
    for (const size of ["150x230cm", "150x200", "1.5x2m"]) {
      expect(judge({ option: { value: "150x200cm" } }, [blanket(size)]).pass).toBe(false);
    }
    expect(measureOf("Large")).toBeNull();
  });

  it("does not hold a close match the answer marks to the part it misses, and only to that part", () => {
    const close = { ...shell, misses: "options" as const };
    expect(judge({ option: { name: "Size", value: "XL" } }, [close]).pass).toBe(true);
    expect(judge({ option: { name: "Size", value: "XL" } }, [shell]).pass).toBe(false);
    expect(judge({ vendor: "Fjordline" }, [anorak, close]).pass).toBe(false);
    expect(judge({ kind: ["jacket"] }, [anorak, { ...boot, misses: "productTypes" }]).pass).toBe(true);
    expect(judge({ kind: ["jacket"] }, [anorak, { ...boot, misses: "vendors" }]).pass).toBe(false);
  });

  it("inStock and samePrevious", () => {
    expect(judge({ inStock: true }, [{ ...anorak, available: false }]).pass).toBe(false);
    expect(judge({ samePrevious: 2 }, [shell, anorak], "", [anorak, shell]).pass).toBe(true);
    expect(judge({ samePrevious: 1 }, [shell], "", [anorak, shell]).pass).toBe(false);
    expect(judge({ samePrevious: 3 }, [shell], "", [anorak, shell]).pass).toBe(false);
  });

  it("says: every pattern must match, case-insensitive", () => {
    expect(judge({ says: ["cheapest is", "\\$95"] }, [shell], "No jackets under $90; the Cheapest is $95").pass).toBe(
      true,
    );
    expect(judge({ says: ["under \\$90"] }, [shell], "Here are 5 products that match").pass).toBe(false);
  });
});

describe("honest none", () => {
  it("recognises plain ways of saying the shop lacks it", () => {
    for (const text of [
      "We don't seem to carry kayaks.",
      "We do not sell kayaks, but we have tents.",
      "Sorry, I couldn't find any kayaks.",
      "No products match “kayak”.",
    ])
      expect(saysNone(text), text).toBe(true);
    expect(saysNone("Here are 5 products that match")).toBe(false);
  });

  it("passes only when it says so and shows nothing unrelated", () => {
    expect(judge({ none: ["kayak"] }, [], "We don't carry kayaks.").pass).toBe(true);
    expect(judge({ none: ["kayak"] }, [boot], "We don't carry kayaks.").pass).toBe(false);
    expect(judge({ none: ["kayak"] }, [boot, boot], "Here are 5 products that match").failures).toHaveLength(2);
    expect(judge({ none: ["kayak"], suggestKinds: ["boot", "hiker"] }, [boot], "We don't carry kayaks.").pass).toBe(
      true,
    );
  });

  it("a 'none' kind the catalog carries, or predicates no product meets, make the turn unsatisfiable", () => {
    expect(unsatisfiable({ none: ["anorak"] }, [anorak, boot])).toContain("Dune Waterproof Anorak");
    expect(unsatisfiable({ none: ["kayak"] }, [anorak, boot])).toBeNull();
    expect(unsatisfiable({ kind: ["jacket"], maxPrice: 100, vendor: "Northpeak" }, [anorak, shell])).toBeNull();
    expect(unsatisfiable({ kind: ["jacket"], maxPrice: 90 }, [anorak, shell])).not.toBeNull();
  });
});

describe("conversation file", () => {
  const valid = {
    catalog: "demo",
    conversations: [{ id: "one", turns: [{ say: "tents", expect: { kind: ["tent"] } }] }],
  };

  it("fills defaults", () => {
    const file = parseConversationFile(JSON.stringify(valid));
    expect(file.currency).toBe("USD");
    expect(file.top).toBe(3);
  });

  it("refuses a bad file, naming every problem's path", () => {
    const bad = {
      catalog: "demo",
      conversations: [
        { id: "Bad Id", turns: [{ say: "tents", expect: {} }] },
        { id: "two", turns: [{ say: "x", expect: { none: ["kayak"], kind: ["tent"], says: ["("] } }] },
        { id: "three", turns: [{ say: "x", expect: { kind: "tent", price: "cheaper" }, extra: 1 }] },
      ],
    };
    let message = "";
    try {
      parseConversationFile(JSON.stringify(bad), "mine.json");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("mine.json is not a valid conversation file");
    expect(message).toContain("conversations.0.id: kebab-case id");
    expect(message).toContain("conversations.0.turns.0.expect: a turn needs at least one predicate");
    expect(message).toContain("conversations.1.turns.0.expect.says.0: not a regular expression");
    expect(message).toContain("conversations.2.turns.0.expect.kind");
    expect(message).toContain("conversations.2.turns.0.expect.price");
    expect(message).toMatch(/conversations\.2\.turns\.0.*extra/);
    expect(() => parseConversationFile("{", "broken.json")).toThrow(/broken.json is not JSON/);
  });
});
