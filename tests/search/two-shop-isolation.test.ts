// Two shops on one vector store and one database (each search back end): nothing of one is ever retrievable from the
// other — not by words, SKUs, barcodes, handles, vectors, answers, counts or shop deletion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { AnswerEngine } from "../../app/lib/chat/answer-engine.server";
import { collectAnswer } from "../kit/answers";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { makeProduct, outdoorCatalog } from "./products";
import { createSearchTestContext, searchBackends, type SearchTestContext } from "./search-test-context";

const catalogA = outdoorCatalog();
const catalogB = [
  makeProduct({
    title: "Secret Bravo Espresso Machine",
    description: "A dual boiler espresso machine for home baristas; also fine for hiking cafés.",
    vendor: "Bravista",
    productType: "Jacket", // same type word as shop A on purpose
    variants: [{ price: "899.00", sku: "BRAVO-ESP-1", barcode: "5012345678900", options: { Color: "Blue" } }],
  }),
  makeProduct({
    title: "Bravo Waterproof Hiking Jacket",
    description: "Waterproof hiking jacket sold only by shop bravo.",
    vendor: "Bravista",
    productType: "Jacket",
    handle: "stormline-waterproof-hiking-jacket", // same handle as shop A's jacket
    variants: [{ price: "49.00", sku: "NP-STORM-M-BLU" }], // same SKU as shop A's jacket variant
  }),
];
const idsA = new Set(catalogA.map((p) => p.id));
const idsB = new Set(catalogB.map((p) => p.id));

const QUERIES = [
  "espresso machine",
  "Secret Bravo",
  "bravista",
  "BRAVO-ESP-1",
  "5012345678900",
  "stormline-waterproof-hiking-jacket",
  "NP-STORM-M-BLU",
  "waterproof hiking jacket",
  "blue jacket under $60",
  "coffee",
  "jacket",
  "under $1000",
];

describe.each(searchBackends())("two-shop isolation on %s", (backend) => {
  let context: SearchTestContext;
  let shopA: string;
  let shopB: string;
  let search: ProductSearch;

  beforeAll(async () => {
    context = await createSearchTestContext(backend);
    [shopA, shopB] = [context.shop("alpha"), context.shop("bravo")];
    search = new ProductSearch({ index: context.index });
    await context.index.upsert(
      shopA,
      catalogA.map((p) => buildProductDocument(p)),
    );
    await context.index.upsert(
      shopB,
      catalogB.map((p) => buildProductDocument(p)),
    );
  });
  afterAll(async () => {
    await context?.index.dropShop(shopA);
    await context?.close();
  });

  it("keeps separate collections, registries and counts", async () => {
    const [a, b] = [await context.index.state(shopA), await context.index.state(shopB)];
    expect(a!.activeCollection).not.toBe(b!.activeCollection);
    expect(await context.vectors.count(a!.activeCollection)).toBe(catalogA.length);
    expect(await context.vectors.count(b!.activeCollection)).toBe(catalogB.length);
    expect(new Set(await context.index.listProductIds(shopA))).toEqual(idsA);
    expect(new Set(await context.index.listProductIds(shopB))).toEqual(idsB);
  });

  it.each(QUERIES)("search %j in one shop returns only that shop's products, in every mode", async (query) => {
    for (const mode of ["hybrid", "lexical", "vector"] as const) {
      const a = await search.search({ shop: shopA, query, mode, limit: 50 });
      const b = await search.search({ shop: shopB, query, mode, limit: 50 });
      for (const hit of a.hits) expect(idsA.has(hit.product.id)).toBe(true);
      for (const hit of b.hits) expect(idsB.has(hit.product.id)).toBe(true);
    }
  });

  it("resolves a shared SKU and handle to each shop's own product", async () => {
    const a = await search.search({ shop: shopA, query: "NP-STORM-M-BLU" });
    const b = await search.search({ shop: shopB, query: "NP-STORM-M-BLU" });
    expect(a.hits[0].product).toMatchObject({ title: "Stormline Waterproof Hiking Jacket", price: "129.00" });
    expect(b.hits[0].product).toMatchObject({ title: "Bravo Waterproof Hiking Jacket", price: "49.00" });
  });

  it("answers only from the asking shop's catalog", async () => {
    const engine = new AnswerEngine({ search, chatModel: null });
    const answer = await collectAnswer(engine.answer({ shop: shopA, message: "espresso machine by bravista" }));
    for (const product of answer.products) expect(idsA.has(product.id)).toBe(true);
    expect(answer.shown).not.toMatch(/Bravo|Bravista|espresso/i);
  });

  it("writes and deletes in one shop never touch the other", async () => {
    await context.index.remove(shopB, [...idsA]); // ids of the other shop: ignored
    expect(await context.index.count(shopA)).toBe(catalogA.length);
    const collectionB = (await context.index.state(shopB))!.activeCollection;
    await context.index.dropShop(shopB);
    expect(await context.index.count(shopB)).toBe(0);
    expect(await context.vectors.count(collectionB)).toBe(0);
    expect(await context.index.count(shopA)).toBe(catalogA.length);
    expect((await search.search({ shop: shopB, query: "espresso" })).hits).toEqual([]);
    expect((await search.search({ shop: shopA, query: "Stormline" })).hits[0].product.title).toBe(
      "Stormline Waterproof Hiking Jacket",
    );
  });
});
