// ChromaProductIndex against the real Chroma server, SQLite registry and local embedder.
import { beforeAll, describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import {
  isValidChromaCollectionName,
  productCollectionName,
  shopCollectionPrefix,
} from "../../app/lib/search/collection-name";
import { ProductIndexError } from "../../app/lib/search/chroma-product-index.server";
import { ChromaProductIndex } from "../../app/lib/search/chroma-product-index.server";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { startOpenAiCompatibleServer } from "../../tools/openai-compatible/server";
import { makeProduct, outdoorCatalog } from "./products";
import { createSearchTestContext, testEnv } from "./search-test-context";

const context = createSearchTestContext();
const { index, prisma, chroma } = context;
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

describe("ChromaProductIndex", () => {
  const shop = context.shop("index");
  beforeAll(async () => {
    expect(await index.upsert(shop, documents)).toEqual({ embedded: documents.length });
  });

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
    const collection = await chroma.getCollection({ name: state!.activeCollection });
    expect(collection.metadata).toMatchObject({ provider: "local", model: "universal-sentence-encoder-lite" });
    expect(await index.count(shop)).toBe(documents.length);
    expect((await index.listProductIds(shop)).sort()).toEqual(documents.map((d) => d.id).sort());
  });

  it("stores text, keywords and card metadata that read back exactly", async () => {
    const state = (await index.state(shop))!;
    const stored = await index.readAll(state.activeCollection);
    const jacket = stored.find((p) => p.id === documents[0].id)!;
    expect(jacket.text).toBe(documents[0].text);
    expect(jacket.keywords).toEqual(documents[0].keywords);
    expect(jacket.metadata).toEqual(documents[0].metadata);
  });

  it("finds semantically close products by vector", async () => {
    const state = (await index.state(shop))!;
    const hits = await index.queryVectors(state.activeCollection, await index.embedQuery("rain coat"), 2);
    expect(hits.map((h) => documents.find((d) => d.id === h.id)!.metadata.productType)).toEqual(["Jacket", "Jacket"]);
    const cheap = await index.queryVectors(state.activeCollection, await index.embedQuery("rain coat"), 3, {
      where: { maxPrice: { $lte: 50 } },
    });
    expect(cheap.every((h) => documents.find((d) => d.id === h.id)!.metadata.maxPrice <= 50)).toBe(true);
    // Restricted to given products: only those, nearest first, however far the others are.
    const chosen = [documents[2].id, documents[4].id, documents[5].id];
    const among = await index.queryVectors(state.activeCollection, await index.embedQuery("rain coat"), 10, {
      ids: chosen,
    });
    expect(among.map((h) => h.id).sort()).toEqual([...chosen].sort());
    expect(among.map((h) => h.distance)).toEqual([...among.map((h) => h.distance)].sort((a, b) => a - b));
    expect(
      await index.queryVectors(state.activeCollection, await index.embedQuery("rain coat"), 10, { ids: [] }),
    ).toEqual([]);
  });

  it("updates metadata without re-embedding and refuses unknown products without writing anything", async () => {
    const state = (await index.state(shop))!;
    const before = await chroma.getCollection({ name: state.activeCollection });
    const [embeddingBefore] = (await before.get({ ids: [documents[3].id], include: ["embeddings"] })).embeddings;
    const product = outdoorCatalog()[3];
    const repriced = buildProductDocument({
      ...product,
      id: documents[3].id,
      variants: product.variants.map((v) => ({ ...v, price: "99.00" })),
    });
    expect(repriced.contentHash).toBe(documents[3].contentHash);
    const unknown = buildProductDocument(makeProduct({ title: "Never indexed" }));
    await expect(index.updateMetadata(shop, [repriced, unknown])).rejects.toThrow(ProductIndexError);
    let stored = (await index.readAll(state.activeCollection)).find((p) => p.id === documents[3].id)!;
    expect(stored.metadata.minPrice).toBe(149);

    await index.updateMetadata(shop, [repriced]);
    stored = (await index.readAll(state.activeCollection)).find((p) => p.id === documents[3].id)!;
    expect(stored.metadata.minPrice).toBe(99);
    const [embeddingAfter] = (await before.get({ ids: [documents[3].id], include: ["embeddings"] })).embeddings;
    expect(embeddingAfter).toEqual(embeddingBefore);
    expect((await index.state(shop))!.version).toBe(state.version + 1);
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
    expect((await index.listProductIds(other)).sort()).toEqual(
      documents
        .slice(0, 4)
        .map((d) => d.id)
        .sort(),
    );
    await expect(chroma.getCollection({ name: before.activeCollection })).rejects.toThrow();
  });

  it("dropShop deletes the shop's collections and registry, and only that shop's", async () => {
    const doomed = context.shop("doomed");
    await index.upsert(doomed, documents.slice(0, 2));
    const name = (await index.state(doomed))!.activeCollection;
    await index.dropShop(doomed);
    expect(await index.state(doomed)).toBeNull();
    expect(await index.count(doomed)).toBe(0);
    await expect(chroma.getCollection({ name })).rejects.toThrow();
    expect(await index.count(shop)).toBe(documents.length);
    expect(await prisma.searchIndex.count({ where: { shop } })).toBe(1);
  });

  it("changing the embedding model rebuilds into a new collection before the next write, with no mixed dimensions", async () => {
    const other = context.shop("model-change");
    await index.upsert(other, documents.slice(0, 3));
    const before = (await index.state(other))!;
    const server = await startOpenAiCompatibleServer({ embeddingDimensions: 64 });
    try {
      // A redeploy with EMBEDDINGS_BASE_URL set: OpenAI-compatible embeddings of another dimension.
      const openai = createEmbeddings(testEnv({ EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: server.url }));
      const upgraded = new ChromaProductIndex({ db: prisma, chroma, embeddings: openai });
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
      const collection = await chroma.getCollection({ name: after.activeCollection });
      const stored = await collection.get({ include: ["embeddings"] });
      expect(stored.embeddings.every((e) => e.length === 64)).toBe(true);
      await expect(chroma.getCollection({ name: before.activeCollection })).rejects.toThrow();
      const result = await new ProductSearch({ index: upgraded }).search({ shop: other, query: "summit backpack" });
      expect(result.vectorAvailable).toBe(true);
      expect(result.hits[0].product.title).toBe("Summit 45L Backpack");
      expect(server.requests.filter((r) => r.path === "/v1/embeddings").length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
