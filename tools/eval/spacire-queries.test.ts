// The spacire retrieval set: the judging rule on made-up products, and, when ../shared/data is
// mounted, that every query has a right answer in the real catalog (skipped, saying so, when absent).
import { describe, expect, it } from "vitest";
import type { Product } from "../../app/lib/catalog/product";
import {
  judgeSpacire,
  SPACIRE_CATALOG,
  SPACIRE_QUERIES,
  spacireAvailable,
  spacireProducts,
  spacireQuerySet,
} from "./spacire-queries";

const product = (title: string, productType: string, price: string, colour = "Default"): Product => ({
  id: `gid://shopify/Product/${title.length}`,
  handle: title.toLowerCase().replace(/\W+/g, "-"),
  title,
  descriptionHtml: "",
  vendor: "Spacire",
  productType,
  tags: [],
  status: "ACTIVE",
  publishedOnline: true,
  onlineStoreUrl: null,
  options: [{ name: "Color", values: [colour] }],
  collections: [],
  featuredImage: null,
  metafields: [],
  variants: [
    {
      id: "gid://shopify/ProductVariant/1",
      title: colour,
      sku: null,
      barcode: null,
      price,
      compareAtPrice: null,
      availableForSale: true,
      inventoryQuantity: 1,
      selectedOptions: [{ name: "Color", value: colour }],
      imageUrl: null,
    },
  ],
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
});

describe("spacire query judgements", () => {
  const criteria = (query: string) => SPACIRE_QUERIES.find((q) => q.query === query)!.criteria;

  it("gives 2 for the kind with every attribute and price, 1 for the kind missing one or a partial kind", () => {
    const grey = product("Full Blackout Curtains", "Curtains", "40", "Dark Grey");
    const white = product("Full Blackout Curtains", "Curtains", "40", "White");
    const sheer = product("Sheer Voile Curtain", "Curtains", "30", "Grey");
    expect(judgeSpacire(grey, criteria("grey blackout curtains"))).toBe(2);
    expect(judgeSpacire(white, criteria("grey blackout curtains"))).toBe(1);
    expect(judgeSpacire(sheer, criteria("grey blackout curtains"))).toBe(1);
    expect(judgeSpacire(product("Silk Eye Mask", "Eye Mask", "35"), criteria("grey blackout curtains"))).toBe(0);
    expect(judgeSpacire(product("Silk Eye Mask", "Eye Mask", "29.99"), criteria("eye mask under £30"))).toBe(2);
    expect(judgeSpacire(product("Silk Eye Mask", "Eye Mask", "35"), criteria("eye mask under £30"))).toBe(1);
  });

  it("covers every kind of query the brief names", () => {
    expect(SPACIRE_QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SPACIRE_QUERIES.map((q) => q.kind))).toEqual(
      new Set(["code", "title", "kind", "attribute", "price", "vague"]),
    );
  });

  if (!spacireAvailable()) console.warn(`[skipped] spacire catalog check: ${SPACIRE_CATALOG} is absent.`);
  it.skipIf(!spacireAvailable())("has a right answer for every query in the real catalog", () => {
    const set = spacireQuerySet(spacireProducts());
    expect(set).toHaveLength(SPACIRE_QUERIES.length);
    for (const { query, judgements } of set) expect([...judgements.values()], query).toContain(2);
  });
});
