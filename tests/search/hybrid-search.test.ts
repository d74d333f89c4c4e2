// The retrieval contract, end to end on each search back end (SQLite + Chroma, Postgres + pgvector):
// exact codes, every filter kind, relaxation, caching, another instance's writes, a model change,
// vector restriction and a vector store that is down. Real databases, vector servers and the local
// embedder.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Logger } from "../../app/lib/logger.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { createProductIndex, createVectorStore } from "../../app/lib/search/search-stores.server";
import { makeProduct, outdoorCatalog } from "./products";
import { createSearchTestContext, searchBackends, type SearchTestContext } from "./search-test-context";

const catalog = outdoorCatalog();
const byTitle = (title: string) => catalog.find((p) => p.title === title)!;

describe.each(searchBackends())("hybrid product search on %s", (backend) => {
  let context: SearchTestContext;
  let shop: string;
  let search: ProductSearch;
  const titles = async (query: string, extra: Partial<Parameters<ProductSearch["search"]>[0]> = {}) =>
    (await search.search({ shop, query, ...extra })).hits.map((h) => h.product.title);

  beforeAll(async () => {
    context = await createSearchTestContext(backend);
    shop = context.shop("hybrid");
    search = new ProductSearch({ index: context.index });
    await context.index.upsert(
      shop,
      catalog.map((p) => buildProductDocument(p)),
    );
  });
  afterAll(() => context?.close());

  it("puts an exact SKU hit first and chooses that variant", async () => {
    const result = await search.search({ shop, query: "np-storm-l-red" });
    expect(result.hits[0].matchedBy).toEqual(["exact"]);
    expect(result.hits[0].product).toMatchObject({
      title: "Stormline Waterproof Hiking Jacket",
      price: "129.00",
      variant: { sku: "NP-STORM-L-RED", options: { Size: "L", Color: "Red" } },
    });
    const inSentence = await search.search({ shop, query: "do you still have SW-TR3-44?" });
    expect(inSentence.hits[0].product.variant?.sku).toBe("SW-TR3-44");
  });

  it("finds products by barcode and by handle", async () => {
    expect((await titles("4006381333931"))[0]).toBe("Trailrunner 3 Running Shoes");
    expect((await titles("summit-45l-backpack"))[0]).toBe("Summit 45L Backpack");
  });

  it("matches brands and rare words lexically", async () => {
    const result = await search.search({ shop, query: "lumo" });
    expect(result.hits[0].product.title).toBe("Headlamp 400");
    expect(result.hits[0].matchedBy).toContain("lexical");
    expect((await titles("merino"))[0]).toBe("Merino Wool Hiking Socks");
  });

  it("understands vague intent through the vectors", async () => {
    expect((await titles("something to keep my drinks cold", { mode: "vector" })).slice(0, 3)).toContain(
      "Insulated Steel Water Bottle",
    );
    expect((await titles("light for walking in the dark")).slice(0, 3)).toContain("Headlamp 400");
  });

  it("returns one result per product", async () => {
    const result = await search.search({ shop, query: "blue", limit: 20 });
    const ids = result.hits.map((h) => h.product.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("applies price filters to every result", async () => {
    const result = await search.search({ shop, query: "jacket under $150" });
    expect(result.filters).toMatchObject({ maxPrice: 150, productTypes: ["Jacket"] });
    const strict = result.hits.filter((h) => !h.backfill);
    expect(strict.map((h) => h.product.title)).toEqual(["Stormline Waterproof Hiking Jacket"]);
    // Closest non-jackets fill the list after it, still within the price.
    expect(result.hits.length).toBeGreaterThan(1);
    for (const hit of result.hits) expect(hit.product.minPrice).toBeLessThanOrEqual(150);
    const range = await search.search({ shop, query: "gear between 20 and 40", limit: 20 });
    expect(range.hits.length).toBeGreaterThan(0);
    for (const hit of range.hits) expect(hit.product.minPrice <= 40 && hit.product.maxPrice >= 20).toBe(true);
  });

  it("sorts by price for 'cheapest'", async () => {
    const result = await search.search({ shop, query: "cheapest jacket" });
    expect(result.hits.filter((h) => !h.backfill).map((h) => h.product.title)).toEqual([
      "Stormline Waterproof Hiking Jacket",
      "Featherlite Down Jacket",
    ]);
  });

  it("applies option values from the catalog and picks the matching variant", async () => {
    const result = await search.search({ shop, query: "green water bottle" });
    expect(result.filters.options).toEqual([{ name: "Color", value: "Green" }]);
    expect(result.hits[0].product.variant?.sku).toBe("RW-BOTTLE-750-GRN");
    for (const hit of result.hits) expect(hit.product.variant?.options.Color).toBe("Green");
  });

  it("filters stock, and relaxes filters that leave nothing", async () => {
    const inStock = await search.search({ shop, query: "camping in stock", limit: 20 });
    expect(inStock.hits.map((h) => h.product.title)).not.toContain("Two-Person Dome Tent");
    for (const hit of inStock.hits) expect(hit.product.available).toBe(true);

    const tent = await search.search({ shop, query: "tent in stock" });
    expect(tent.relaxed).toEqual(["inStock"]);
    expect(tent.hits[0].product.title).toBe("Two-Person Dome Tent");

    const impossible = await search.search({ shop, query: "jacket under $10" });
    expect(impossible.relaxed).toEqual(["price"]);
    expect(impossible.hits.slice(0, 2).map((h) => h.product.productType)).toEqual(["Jacket", "Jacket"]);
    expect(impossible.hits.slice(2).every((h) => h.backfill)).toBe(true);

    // A size is kept before a price: the size-M jackets at the nearest prices, said as a dropped price.
    const sized = await search.search({ shop, query: "jacket in size M under $10" });
    expect(sized.relaxed).toEqual(["price"]);
    expect(sized.filters.options).toEqual([{ name: "Size", value: "M" }]);
    expect(sized.hits[0].product.variant?.options.Size).toBe("M");
  });

  it("lists products for filter-only queries", async () => {
    const result = await search.search({ shop, query: "under $30", limit: 20 });
    expect(result.hits.map((h) => h.product.title).sort()).toEqual([
      "Insulated Steel Water Bottle",
      "Merino Wool Hiking Socks",
    ]);
  });

  it("caches identical queries until the shop's index changes", async () => {
    const query = "warm winter jacket";
    const first = await search.search({ shop, query });
    const second = await search.search({ shop, query });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.hits).toEqual(first.hits);
    const parka = makeProduct({
      title: "Polar Expedition Parka",
      description: "Our warmest winter jacket.",
      productType: "Jacket",
    });
    await context.index.upsert(shop, [buildProductDocument(parka)]);
    const third = await search.search({ shop, query });
    expect(third.cached).toBe(false);
    expect(third.indexVersion).toBeGreaterThan(first.indexVersion!);
    expect(third.hits.map((h) => h.product.title)).toContain("Polar Expedition Parka");
    await context.index.remove(shop, [parka.id]);
    expect(await titles(query)).not.toContain("Polar Expedition Parka");
  });

  it("stays consistent across app instances: a write through one is seen by another's search", async () => {
    const otherInstance = new ProductSearch({ index: context.otherInstance() });
    expect((await otherInstance.search({ shop, query: "ZX-9000 kayak paddle" })).hits[0]?.product.title).not.toBe(
      "Carbon Kayak Paddle",
    );
    const paddle = makeProduct({
      title: "Carbon Kayak Paddle",
      productType: "Paddle",
      variants: [{ price: "199.00", sku: "ZX-9000" }],
    });
    await context.index.upsert(shop, [buildProductDocument(paddle)]); // written by "this" instance
    const seen = await otherInstance.search({ shop, query: "ZX-9000" });
    expect(seen.hits[0].product.title).toBe("Carbon Kayak Paddle");
    await context.index.updateMetadata(shop, [
      buildProductDocument({ ...paddle, variants: paddle.variants.map((v) => ({ ...v, price: "149.00" })) }),
    ]);
    expect((await otherInstance.search({ shop, query: "ZX-9000" })).hits[0].product.price).toBe("149.00");
    await context.index.remove(shop, [paddle.id]);
    expect((await otherInstance.search({ shop, query: "ZX-9000" })).hits.map((h) => h.product.title)).not.toContain(
      "Carbon Kayak Paddle",
    );
  });

  it("answers lexically when the collection was embedded by another model", async () => {
    const stale = context.shop("stale-model");
    await context.index.upsert(
      stale,
      catalog.slice(0, 3).map((p) => buildProductDocument(p)),
    );
    await context.prisma.searchIndex.update({ where: { shop: stale }, data: { model: "some-older-model" } });
    const result = await search.search({ shop: stale, query: "trail running shoes" });
    expect(result.vectorAvailable).toBe(false);
    expect(result.hits[0].product.title).toBe(byTitle("Trailrunner 3 Running Shoes").title);
    expect(result.hits.every((h) => !h.matchedBy.includes("vector"))).toBe(true);
  });

  it("restricts the vector query to the products passing the filters when the nearest pool holds none", async () => {
    // 30 products; with 1 candidate wanted, a filtered search looks at a pool of the 20 nearest. The
    // jackets fill it, so the five cheap socks are found by a Chroma query restricted to their ids.
    const narrowShop = context.shop("narrow-filter");
    const jackets = Array.from({ length: 25 }, (_, i) =>
      makeProduct({
        title: `Stormproof Rain Jacket ${i + 1}`,
        description: "Waterproof breathable shell jacket with taped seams for rain and wind.",
        productType: "Jacket",
        variants: [{ price: "140.00" }],
      }),
    );
    const socks = ["Wool", "Cotton", "Bamboo", "Alpaca", "Nylon"].map((fibre) =>
      makeProduct({
        title: `${fibre} Ankle Socks`,
        description: `Everyday ${fibre.toLowerCase()} socks, pack of three.`,
        productType: "Socks",
        variants: [{ price: "8.00" }],
      }),
    );
    await context.index.upsert(
      narrowShop,
      [...jackets, ...socks].map((p) => buildProductDocument(p)),
    );
    const restrictions: unknown[] = [];
    const spied = Object.create(context.index, {
      queryVectors: {
        value: (...args: Parameters<HybridProductIndex["queryVectors"]>) => {
          restrictions.push(args[3]);
          return context.index.queryVectors(...args);
        },
      },
    }) as HybridProductIndex;
    const request = {
      shop: narrowShop,
      query: "rain jacket",
      mode: "vector" as const,
      filters: { maxPrice: 10 },
      understandQuery: false,
    };
    const narrow = await new ProductSearch({ index: spied, candidates: 1 }).search({ ...request, limit: 1 });
    const sockIds = socks.map((p) => p.id).sort();
    expect(restrictions).toContainEqual(expect.arrayContaining(sockIds));
    expect(restrictions.some((r) => (r as string[] | undefined)?.length === 5)).toBe(true);
    // The same answer as a search whose pool covers the whole catalog: the nearest sock.
    const wide = await search.search({ ...request, limit: 1 });
    expect(narrow.hits.map((h) => h.product.id)).toEqual(wide.hits.map((h) => h.product.id));
    expect(sockIds).toContain(narrow.hits[0].product.id);
  });

  it("restricts the vector query up to the vector store's bound and walks a pool above it", async () => {
    const boundShop = context.shop("restriction-bound");
    const products = ["Wool", "Cotton", "Bamboo", "Alpaca", "Nylon", "Silk"].flatMap((fibre, i) => [
      makeProduct({ title: `${fibre} Ankle Socks`, productType: "Socks", variants: [{ price: `${8 + i}.00` }] }),
      makeProduct({ title: `${fibre} Rain Jacket`, productType: "Jacket", variants: [{ price: "140.00" }] }),
    ]);
    await context.index.upsert(
      boundShop,
      products.map((p) => buildProductDocument(p)),
    );
    const queries = async (maxRestrictedIds: number) => {
      const calls: { k: number; restrictTo?: string[] }[] = [];
      const spied = Object.create(context.index, {
        maxRestrictedIds: { value: maxRestrictedIds },
        queryVectors: {
          value: (...args: Parameters<HybridProductIndex["queryVectors"]>) => {
            calls.push({ k: args[2], restrictTo: args[3] });
            return context.index.queryVectors(...args);
          },
        },
      }) as HybridProductIndex;
      const result = await new ProductSearch({ index: spied, candidates: 2 }).search({
        shop: boundShop,
        query: "warm socks",
        mode: "vector",
        filters: { maxPrice: 20 },
        understandQuery: false,
      });
      expect(result.hits.map((h) => h.product.title).every((title) => title.endsWith("Socks"))).toBe(true);
      return calls;
    };
    // Six socks pass: restricted to exactly them when the store allows six ids, else a pool of 8 × 2.
    expect(await queries(6)).toEqual([
      { k: 2, restrictTo: expect.arrayContaining(products.filter((_, i) => i % 2 === 0).map((p) => p.id)) },
    ]);
    expect(await queries(5)).toEqual([{ k: 16, restrictTo: undefined }]);
  });

  it("answers from the database when the vector store is down, and refuses writes without changing anything", async () => {
    const down =
      context.backend === "sqlite+chroma"
        ? { CHROMA_URL: "http://127.0.0.1:9" }
        : { PGVECTOR_URL: "postgresql://x:y@127.0.0.1:9/none" };
    const vectors = createVectorStore({ ...context.env, ...down });
    const index = createProductIndex({ env: context.env, db: context.prisma, vectors, embeddings: context.embeddings });
    try {
      const result = await new ProductSearch({ index }).search({ shop, query: "merino socks" });
      expect(result.hits[0].product.title).toBe("Merino Wool Hiking Socks");
      expect(result.hits.every((h) => !h.matchedBy.includes("vector"))).toBe(true);
      const versionBefore = (await context.index.state(shop))!.version;
      const newcomer = buildProductDocument(makeProduct({ title: "Never Written Lantern" }));
      await expect(index.upsert(shop, [newcomer])).rejects.toThrow();
      expect((await context.index.state(shop))!.version).toBe(versionBefore);
      expect(await titles("never written lantern")).not.toContain("Never Written Lantern");
    } finally {
      await vectors.close();
    }
  });

  it("answers lexically while the vector store is stalled, without queueing behind it or caching that answer", async () => {
    // A vector server busy with its own index maintenance: queries are answered, but only once it is done.
    let release = () => {};
    const stall = new Promise<void>((resolve) => (release = resolve));
    let stalled = true;
    let queries = 0;
    const slow = Object.create(context.index, {
      queryVectors: {
        value: async (...args: Parameters<HybridProductIndex["queryVectors"]>) => {
          queries++;
          if (!stalled) return context.index.queryVectors(...args);
          await stall;
          return [];
        },
      },
    }) as HybridProductIndex;
    // Generous: only the stalled queries may miss it, however loaded the machine running the tests.
    const budgeted = new ProductSearch({ index: slow, vectorTimeoutMs: 1_000 });
    const lexicalOnly = (result: Awaited<ReturnType<ProductSearch["search"]>>) =>
      result.hits.every((h) => !h.matchedBy.includes("vector"));

    const first = await budgeted.search({ shop, query: "merino socks" });
    expect(first.hits[0].product.title).toBe("Merino Wool Hiking Socks");
    expect(lexicalOnly(first)).toBe(true);
    // While that late query is pending, another search does not ask the stalled store at all.
    const asked = queries;
    const second = await budgeted.search({ shop, query: "waterproof jacket" });
    expect(queries).toBe(asked);
    expect(lexicalOnly(second)).toBe(true);
    expect(second.hits.length).toBeGreaterThan(0);

    stalled = false;
    release();
    await stall;
    await new Promise((resolve) => setImmediate(resolve));
    const recovered = await budgeted.search({ shop, query: "merino socks" });
    expect(recovered.cached).toBe(false);
    expect(lexicalOnly(recovered)).toBe(false);
  });

  it("answers lexically when the query embedder fails, and gives a slow embedder's vector query its full budget", async () => {
    const withEmbedder = (embedQuery: (text: string) => Promise<number[]>) =>
      Object.create(context.index, { embedQuery: { value: embedQuery } }) as HybridProductIndex;
    // An embedding provider that is down (the OpenAI-compatible endpoint refusing, say).
    const failing = new ProductSearch({
      index: withEmbedder(() => Promise.reject(new Error("embeddings provider down"))),
      vectorTimeoutMs: 1_000,
    });
    const result = await failing.search({ shop, query: "merino socks" });
    expect(result.hits[0].product.title).toBe("Merino Wool Hiking Socks");
    expect(result.hits.every((h) => !h.matchedBy.includes("vector"))).toBe(true);
    expect((await failing.search({ shop, query: "merino socks" })).cached).toBe(false);

    // A remote embedder slower than the vector budget: the budget starts once the vector exists.
    // The budget is generous (the vector query itself must fit it on a loaded machine) and the
    // embedder slower still, so only a budget that counted the embedding could drop the vectors.
    const slow = new ProductSearch({
      index: withEmbedder(async (text) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return context.index.embedQuery(text);
      }),
      vectorTimeoutMs: 1_000,
    });
    const late = await slow.search({ shop, query: "something to keep my feet warm on the trail" });
    expect(late.hits.some((h) => h.matchedBy.includes("vector"))).toBe(true);
  });

  it("ranks the candidates of both lists again by the query moved towards the best fused products", async () => {
    const asked: string[][] = [];
    const traced = Object.create(context.index, {
      vectorsOf: {
        value: (...args: Parameters<HybridProductIndex["vectorsOf"]>) => {
          asked.push(args[1]);
          return context.index.vectorsOf(...args);
        },
      },
    }) as HybridProductIndex;
    const withFeedback = new ProductSearch({ index: traced, cacheSize: 0 });
    const without = new ProductSearch({ index: context.index, cacheSize: 0, relevanceFeedback: null });
    const ids = async (engine: ProductSearch, query: string, mode?: "lexical" | "vector") =>
      (await engine.search({ shop, query, mode, limit: 50 })).hits.map((h) => h.product.id);
    const queries = [
      "warm layer for cold evenings",
      "light for walking in the dark",
      "waterproof shell",
      "trail shoes",
    ];
    let changed = 0;
    for (const query of queries) {
      asked.length = 0;
      const refined = await ids(withFeedback, query);
      // The candidates' vectors are read (once per retrieval: a backfill without a filter is another):
      // every vector and every lexical candidate.
      expect(asked.length).toBeGreaterThan(0);
      const candidates = new Set(asked.flat());
      for (const id of [...(await ids(without, query, "vector")), ...(await ids(without, query, "lexical"))]) {
        expect(candidates.has(id)).toBe(true);
      }
      // Feedback reorders the candidates; it brings in none of its own.
      for (const id of refined) expect(candidates.has(id)).toBe(true);
      if (refined.join() !== (await ids(without, query)).join()) changed++;
      // Vector and lexical searches are the lists as they are.
      asked.length = 0;
      await ids(withFeedback, query, "vector");
      await ids(withFeedback, query, "lexical");
      expect(asked).toHaveLength(0);
    }
    expect(changed).toBeGreaterThan(0);
  });

  it("ranks without feedback when the candidates' vectors fail or are too slow, and does not cache that answer", async () => {
    const warnings: string[] = [];
    const log = { warn: (_context: object, message: string) => warnings.push(message) } as unknown as Logger;
    const withVectorsOf = (vectorsOf: HybridProductIndex["vectorsOf"]) =>
      Object.create(context.index, { vectorsOf: { value: vectorsOf } }) as HybridProductIndex;
    const plain = await new ProductSearch({ index: context.index, relevanceFeedback: null }).search({
      shop,
      query: "warm layer for cold evenings",
    });
    const failing = new ProductSearch({
      index: withVectorsOf(() => Promise.reject(new Error("vector store down"))),
      log,
    });
    const slow = new ProductSearch({
      index: withVectorsOf(() => new Promise(() => {})),
      vectorTimeoutMs: 1_000,
      log,
    });
    for (const engine of [failing, slow]) {
      const result = await engine.search({ shop, query: "warm layer for cold evenings" });
      expect(result.hits.map((h) => h.product.id)).toEqual(plain.hits.map((h) => h.product.id));
      expect((await engine.search({ shop, query: "warm layer for cold evenings" })).cached).toBe(false);
    }
    expect(warnings).toEqual([
      "candidate vectors failed; no feedback",
      "candidate vectors failed; no feedback",
      "candidate vectors too slow; no feedback",
      "candidate vectors too slow; no feedback",
    ]);
  });

  it("returns nothing for a shop with no index", async () => {
    const result = await search.search({ shop: context.shop("empty"), query: "jacket" });
    expect(result.hits).toEqual([]);
    expect(result.indexVersion).toBeNull();
  });
});
