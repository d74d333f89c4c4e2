// The product index (catalog rows + vectors + registry) on each search back end: real databases,
// the real vector servers and the local embedder.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import {
  isValidChromaCollectionName,
  productCollectionName,
  shopCollectionPrefix,
} from "../../app/lib/search/collection-name";
import { ProductIndexError } from "../../app/lib/search/product-index";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { createProductIndex } from "../../app/lib/search/search-stores.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { startOpenAiCompatibleServer } from "../../tools/openai-compatible/server";
import { makeProduct, outdoorCatalog } from "./products";
import { createSearchTestContext, searchBackends, testEnv, type SearchTestContext } from "./search-test-context";

const documents = outdoorCatalog().map((p) => buildProductDocument(p));

describe("collection names", () => {
  it("satisfy Chroma's rules for any shop domain and model, and differ per shop, model and generation", () => {
    const local = { provider: "local" as const, model: "universal-sentence-encoder-lite" };
    const openai = { provider: "openai" as const, model: "text-embedding-3-small" };
    const names = [
      productCollectionName("a.myshopify.com", local, 1),
      productCollectionName("b.myshopify.com", local, 1),
      productCollectionName("a.myshopify.com", openai, 1),
      productCollectionName("a.myshopify.com", local, 2),
      productCollectionName("ÜBER weird shop/../", { provider: "openai", model: "org/model:latest" }, 7),
    ];
    for (const name of names) expect(isValidChromaCollectionName(name), name).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0].startsWith(shopCollectionPrefix("a.myshopify.com"))).toBe(true);
    expect(() => productCollectionName("a", local, 0)).toThrow(/generation/);
  });
});

describe.each(searchBackends())("product index on %s", (backend) => {
  let context: SearchTestContext;
  let index: SearchTestContext["index"];
  let shop: string;
  beforeAll(async () => {
    context = await createSearchTestContext(backend);
    index = context.index;
    shop = context.shop("index");
    expect(await index.upsert(shop, documents)).toEqual({ embedded: documents.length });
  });
  afterAll(() => context?.close());

  it("records the collection, embedding model and dimensions per shop and counts writes", async () => {
    const state = await index.state(shop);
    expect(state).toMatchObject({
      provider: "local",
      model: "universal-sentence-encoder-lite",
      dimensions: 512,
      generation: 1,
      version: 1,
    });
    expect(state!.activeCollection).toBe(productCollectionName(shop, context.embeddings.descriptor, 1));
    expect(await context.vectors.count(state!.activeCollection)).toBe(documents.length);
    expect(await index.count(shop)).toBe(documents.length);
    expect((await index.listProductIds(shop)).sort()).toEqual(documents.map((d) => d.id).sort());
  });

  it("stores text, keywords and card metadata that read back exactly", async () => {
    const [jacket] = await index.catalog.read(shop, [documents[0].id]);
    expect(jacket.text).toBe(documents[0].text);
    expect(jacket.keywords).toEqual(documents[0].keywords);
    expect(jacket.metadata).toEqual(documents[0].metadata);
  });

  it("finds semantically close products by vector, also among given products only", async () => {
    const state = (await index.state(shop))!;
    const vector = await index.embedQuery("rain coat");
    const hits = await index.queryVectors(state, vector, 2);
    expect(hits.map((h) => documents.find((d) => d.id === h.id)!.metadata.productType)).toEqual(["Jacket", "Jacket"]);
    // Restricted to given products: only those, nearest first, however far the others are.
    const chosen = [documents[2].id, documents[4].id, documents[5].id];
    const among = await index.queryVectors(state, vector, 10, chosen);
    expect(among.map((h) => h.id).sort()).toEqual([...chosen].sort());
    expect(among.map((h) => h.distance)).toEqual([...among.map((h) => h.distance)].sort((a, b) => a - b));
    expect(await index.queryVectors(state, vector, 10, [])).toEqual([]);
  });

  it("updates metadata without re-embedding and refuses unknown products without writing anything", async () => {
    const state = (await index.state(shop))!;
    const vector = await index.embedQuery(documents[3].text);
    const [nearestBefore] = await index.queryVectors(state, vector, 1);
    const product = outdoorCatalog()[3];
    const repriced = buildProductDocument({
      ...product,
      id: documents[3].id,
      variants: product.variants.map((v) => ({ ...v, price: "99.00" })),
    });
    expect(repriced.contentHash).toBe(documents[3].contentHash);
    const unknown = buildProductDocument(makeProduct({ title: "Never indexed" }));
    await expect(index.updateMetadata(shop, [repriced, unknown])).rejects.toThrow(ProductIndexError);
    let [stored] = await index.catalog.read(shop, [documents[3].id]);
    expect(stored.metadata.minPrice).toBe(149);
    expect((await index.state(shop))!.version).toBe(state.version);

    await index.updateMetadata(shop, [repriced]);
    [stored] = await index.catalog.read(shop, [documents[3].id]);
    expect(stored.metadata.minPrice).toBe(99);
    // The vector is untouched: the product is still its own nearest neighbour at the same distance.
    const [nearestAfter] = await index.queryVectors(state, vector, 1);
    expect(nearestAfter).toEqual(nearestBefore);
    expect(nearestAfter.id).toBe(documents[3].id);
    const after = (await index.state(shop))!;
    expect(after.version).toBe(state.version + 1);
    // A price is not vocabulary: query understanding keeps its cached vocabulary.
    expect(after.vocabularyVersion).toBe(state.vocabularyVersion);
  });

  it("rejects invalid batches before writing", async () => {
    await expect(index.upsert(shop, [documents[0], documents[0]])).rejects.toThrow(/duplicate/);
    await expect(index.upsert(shop, [{ id: "" } as never])).rejects.toThrow(/invalid product document/);
  });

  it("removes products, ignoring unknown ids", async () => {
    const other = context.shop("remove");
    await index.upsert(other, documents.slice(0, 3));
    await index.remove(other, [documents[1].id, "gid://shopify/Product/404"]);
    expect((await index.listProductIds(other)).sort()).toEqual([documents[0].id, documents[2].id].sort());
    await index.remove(context.shop("never-indexed"), ["x"]);
  });

  it("rebuilds into a new collection, switches atomically and deletes the old one", async () => {
    const other = context.shop("rebuild");
    await index.upsert(other, documents.slice(0, 4));
    const before = (await index.state(other))!;
    const result = await index.rebuild(other);
    const after = (await index.state(other))!;
    expect(result).toEqual({ collection: after.activeCollection, products: 4 });
    expect(after.generation).toBe(2);
    expect(after.activeCollection).not.toBe(before.activeCollection);
    expect(after.rebuildingCollection).toBeNull();
    expect(after.version).toBeGreaterThan(before.version);
    expect((await context.vectors.listIds(after.activeCollection)).sort()).toEqual(
      documents
        .slice(0, 4)
        .map((d) => d.id)
        .sort(),
    );
    expect(await context.vectors.listCollections(shopCollectionPrefix(other))).toEqual([after.activeCollection]);
    const result2 = await new ProductSearch({ index }).search({ shop: other, query: documents[2].metadata.title });
    expect(result2.vectorAvailable).toBe(true);
    expect(result2.hits[0].product.id).toBe(documents[2].id);
  });

  it("dropShop deletes the shop's collections and registry, and only that shop's", async () => {
    const doomed = context.shop("doomed");
    await index.upsert(doomed, documents.slice(0, 2));
    await index.dropShop(doomed);
    expect(await index.state(doomed)).toBeNull();
    expect(await index.count(doomed)).toBe(0);
    expect(await context.vectors.listCollections(shopCollectionPrefix(doomed))).toEqual([]);
    expect(await index.count(shop)).toBe(documents.length);
    expect(await context.prisma.searchIndex.count({ where: { shop } })).toBe(1);
  });

  it("changing the embedding model rebuilds into a new collection before the next write, with no mixed dimensions", async () => {
    const other = context.shop("model-change");
    await index.upsert(other, documents.slice(0, 3));
    const before = (await index.state(other))!;
    const server = await startOpenAiCompatibleServer({ embeddingDimensions: 64 });
    try {
      // A redeploy with EMBEDDINGS_BASE_URL set: OpenAI-compatible embeddings of another dimension.
      const openai = createEmbeddings(testEnv({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: server.url }));
      const upgraded = createProductIndex({
        env: context.env,
        db: context.prisma,
        vectors: context.vectors,
        embeddings: openai,
      });
      const staleSearch = new ProductSearch({ index: upgraded });
      expect((await staleSearch.search({ shop: other, query: "jacket" })).vectorAvailable).toBe(false);

      await upgraded.upsert(other, [documents[3]]);
      const after = (await upgraded.state(other))!;
      expect(after).toMatchObject({
        provider: "openai",
        model: "text-embedding-3-small",
        dimensions: 64,
        generation: 2,
      });
      expect(after.activeCollection).not.toBe(before.activeCollection);
      expect((await upgraded.listProductIds(other)).sort()).toEqual(
        documents
          .slice(0, 4)
          .map((d) => d.id)
          .sort(),
      );
      expect(await context.vectors.count(after.activeCollection)).toBe(4);
      expect(await context.vectors.listCollections(shopCollectionPrefix(other))).toEqual([after.activeCollection]);
      const result = await new ProductSearch({ index: upgraded }).search({ shop: other, query: "summit backpack" });
      expect(result.vectorAvailable).toBe(true);
      expect(result.hits[0].product.title).toBe("Summit 45L Backpack");
      expect(server.requests.filter((r) => r.path === "/v1/embeddings").length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
