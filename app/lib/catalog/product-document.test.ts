import { describe, expect, it } from "vitest";
import type { Product } from "./product";
import { buildProductDocument, htmlToPlainText, parseVariantsJson, truncateText } from "./product-document";

function product(overrides: Partial<Product> = {}): Product {
  return {
    id: "gid://shopify/Product/1001",
    handle: "trail-runner-gtx",
    title: "Trail Runner GTX",
    descriptionHtml: "<p>Waterproof <strong>trail</strong> shoe &amp; grippy sole.</p><script>alert(1)</script>",
    vendor: "Northpeak",
    productType: "Shoes",
    tags: ["running", "waterproof"],
    status: "ACTIVE",
    publishedOnline: true,
    onlineStoreUrl: "https://shop.example/products/trail-runner-gtx",
    options: [{ name: "Size", values: ["42", "43"] }],
    collections: [{ handle: "outdoor", title: "Outdoor" }],
    featuredImage: { url: "https://cdn.example/shoe.jpg", altText: null },
    metafields: [],
    variants: [
      {
        id: "gid://shopify/ProductVariant/1",
        title: "42",
        sku: "NP-TR-42",
        barcode: "0001",
        price: "129.00",
        compareAtPrice: "149.00",
        availableForSale: true,
        inventoryQuantity: 4,
        selectedOptions: [{ name: "Size", value: "42" }],
        imageUrl: null,
      },
      {
        id: "gid://shopify/ProductVariant/2",
        title: "43",
        sku: "NP-TR-43",
        barcode: null,
        price: "119.00",
        compareAtPrice: null,
        availableForSale: false,
        inventoryQuantity: 0,
        selectedOptions: [{ name: "Size", value: "43" }],
        imageUrl: null,
      },
    ],
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-02-01T00:00:00Z",
    ...overrides,
  };
}

describe("buildProductDocument", () => {
  it("embeds meaning and leaves prices and stock to metadata", () => {
    const doc = buildProductDocument(product());
    expect(doc.text).toContain("Trail Runner GTX");
    expect(doc.text).toContain("Brand: Northpeak");
    expect(doc.text).toContain("Waterproof trail shoe & grippy sole.");
    expect(doc.text).not.toContain("alert");
    expect(doc.text).not.toContain("129");
    expect(doc.metadata).toMatchObject({ minPrice: 119, maxPrice: 129, available: true });
    expect(doc.metadata).not.toHaveProperty("inventoryQuantity");
    expect(doc.metadata.skus).toBe("|NP-TR-42|NP-TR-43|");
    expect(doc.keywords).toEqual(["trail-runner-gtx", "NP-TR-42", "0001", "NP-TR-43"]);
    expect(JSON.parse(doc.metadata.variantsJson)[0]).toMatchObject({
      id: "gid://shopify/ProductVariant/1",
      options: { Size: "42" },
    });
  });

  it("changes no hash when a sale only lowers stock (search stores no stock counts)", () => {
    const before = buildProductDocument(product());
    const sale = product();
    sale.variants[0] = { ...sale.variants[0], inventoryQuantity: 1 };
    const after = buildProductDocument(sale);
    expect(after.contentHash).toBe(before.contentHash);
    expect(after.metadataHash).toBe(before.metadataHash);
    sale.variants = sale.variants.map((v) => ({ ...v, inventoryQuantity: 0, availableForSale: false }));
    expect(buildProductDocument(sale).metadataHash).not.toBe(before.metadataHash);
  });

  it("keeps the content hash when only price or stock change", () => {
    const before = buildProductDocument(product());
    const sale = product();
    sale.variants[0] = { ...sale.variants[0], price: "99.00", inventoryQuantity: 3 };
    const after = buildProductDocument(sale);
    expect(after.contentHash).toBe(before.contentHash);
    expect(after.metadataHash).not.toBe(before.metadataHash);
  });

  it("changes the content hash when the described product changes", () => {
    const before = buildProductDocument(product());
    expect(buildProductDocument(product({ title: "Trail Runner GTX 2" })).contentHash).not.toBe(before.contentHash);
    expect(buildProductDocument(product({ tags: ["running"] })).contentHash).not.toBe(before.contentHash);
  });

  it("is deterministic and honours the chosen fields", () => {
    expect(buildProductDocument(product())).toEqual(buildProductDocument(product()));
    const titleOnly = buildProductDocument(product(), { fields: [] });
    expect(titleOnly.text).toBe("Trail Runner GTX");
  });
});

describe("text helpers", () => {
  it("turns HTML into readable text", () => {
    expect(htmlToPlainText("<ul><li>One</li><li>Two</li></ul><p>A&nbsp;b</p>")).toBe("* One\n* Two\n\nA b");
  });

  it("cuts long text at a sentence boundary", () => {
    const text = "First sentence here. Second sentence is longer than the limit allows.";
    expect(truncateText(text, 25)).toBe("First sentence here.");
    expect(truncateText(text, 40)).toBe("First sentence here. Second sentence is…");
  });
});

describe("parseVariantsJson", () => {
  it("reads back exactly the variants a document wrote", () => {
    const variants = parseVariantsJson(buildProductDocument(product()).metadata.variantsJson);
    expect(variants).toEqual([
      {
        id: "gid://shopify/ProductVariant/1",
        title: "42",
        price: "129.00",
        compareAtPrice: "149.00",
        available: true,
        sku: "NP-TR-42",
        options: { Size: "42" },
        imageUrl: null,
      },
      {
        id: "gid://shopify/ProductVariant/2",
        title: "43",
        price: "119.00",
        compareAtPrice: null,
        available: false,
        sku: "NP-TR-43",
        options: { Size: "43" },
        imageUrl: null,
      },
    ]);
  });

  it("gives no variants for missing, unreadable or non-list JSON", () => {
    for (const json of [undefined, null, "", "{not json", "null", '{"id":"1"}', "42"]) {
      expect(parseVariantsJson(json)).toEqual([]);
    }
  });

  it("leaves out entries that are not variants", () => {
    const good = {
      id: "v1",
      title: "S",
      price: "1.00",
      compareAtPrice: null,
      available: true,
      sku: null,
      options: {},
      imageUrl: null,
    };
    const json = JSON.stringify([null, 7, "v", { ...good, price: 1 }, { ...good, options: null }, { id: "v2" }, good]);
    expect(parseVariantsJson(json)).toEqual([good]);
  });
});
