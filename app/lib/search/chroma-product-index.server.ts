// ProductIndex on Chroma: one collection per shop and embedding space, recorded in the
// SearchIndex table (active collection, provider/model/dimensions, version). Every write bumps the
// shop's version, which is what each app instance keys its lexical index and query cache on.
// A change of embedding model (or an explicit repair) rebuilds into a new collection from the
// documents Chroma already holds and switches the shop's active collection in one DB update.
import type { PrismaClient, SearchIndex } from "@prisma/client";
import type { ChromaClient, Collection, Metadata, Where } from "chromadb";
import type { ProductDocument, ProductMetadata } from "../catalog/product-document";
import type { Logger } from "../logger.server";
import { productCollectionName, shopCollectionPrefix } from "./collection-name";
import type { EmbeddingsProvider } from "./embeddings.server";
import type { ProductIndex } from "./product-index";

/** What the index stores per product and gives back to search (documents + card metadata). */
export type IndexedProduct = Pick<ProductDocument, "id" | "text" | "keywords" | "metadata">;

export interface VectorHit {
  id: string;
  /** Cosine distance (0 = same direction). */
  distance: number;
}

export class ProductIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProductIndexError";
  }
}

interface StoredMetadata extends ProductMetadata {
  keywords: string;
  contentHash: string;
  metadataHash: string;
}

export interface ChromaProductIndexOptions {
  db: PrismaClient;
  chroma: ChromaClient;
  embeddings: EmbeddingsProvider;
  log?: Logger;
  /** Records per Chroma request; capped by the server's own maximum batch size. */
  batchSize?: number;
}

const delimited = (values: string[]) => (values.length ? `|${values.join("|")}|` : "");
const undelimit = (value: string) => value.split("|").filter(Boolean);

function toStoredMetadata(document: ProductDocument): StoredMetadata {
  return {
    ...document.metadata,
    keywords: delimited(document.keywords),
    contentHash: document.contentHash,
    metadataHash: document.metadataHash,
  };
}

function fromStored(id: string, text: string | null, metadata: Metadata | null): IndexedProduct {
  const { keywords, contentHash: _c, metadataHash: _m, ...rest } = (metadata ?? {}) as unknown as StoredMetadata;
  return { id, text: text ?? "", keywords: undelimit(keywords ?? ""), metadata: rest as ProductMetadata };
}

function validateDocuments(documents: ProductDocument[]) {
  const seen = new Set<string>();
  for (const document of documents) {
    if (!document?.id || typeof document.text !== "string" || !document.metadata) {
      throw new ProductIndexError(`invalid product document: ${JSON.stringify(document?.id ?? document)}`);
    }
    if (seen.has(document.id)) throw new ProductIndexError(`duplicate product id in one call: ${document.id}`);
    seen.add(document.id);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

export class ChromaProductIndex implements ProductIndex {
  private readonly db: PrismaClient;
  private readonly chroma: ChromaClient;
  readonly embeddings: EmbeddingsProvider;
  private readonly log: Logger | undefined;
  private readonly requestedBatchSize: number;
  private batchSize: number | undefined;
  private readonly collections = new Map<string, Promise<Collection>>();
  /** Per-shop write queue in this process: writes and rebuilds of one shop never interleave here. */
  private readonly shopQueues = new Map<string, Promise<unknown>>();

  constructor(options: ChromaProductIndexOptions) {
    this.db = options.db;
    this.chroma = options.chroma;
    this.embeddings = options.embeddings;
    this.log = options.log;
    this.requestedBatchSize = options.batchSize ?? 500;
  }

  // ---- ProductIndex (called by sync) ---------------------------------------------------------

  async upsert(shop: string, documents: ProductDocument[]): Promise<{ embedded: number }> {
    validateDocuments(documents);
    if (!documents.length) return { embedded: 0 };
    return this.serialized(shop, async () => {
      const state = await this.ensureCurrent(shop);
      const vectors = await this.embed(documents.map((d) => d.text));
      await this.recordDimensions(state, vectors[0]?.length);
      for (const name of this.writeTargets(state)) {
        const collection = await this.collection(name);
        for (const batch of chunks(
          documents.map((d, i) => [d, vectors[i]] as const),
          await this.maxBatch(),
        )) {
          await collection.upsert({
            ids: batch.map(([d]) => d.id),
            embeddings: batch.map(([, v]) => v),
            documents: batch.map(([d]) => d.text),
            metadatas: batch.map(([d]) => toStoredMetadata(d) as unknown as Metadata),
          });
        }
      }
      await this.bumpVersion(shop);
      return { embedded: documents.length };
    });
  }

  async updateMetadata(shop: string, documents: ProductDocument[]): Promise<void> {
    validateDocuments(documents);
    if (!documents.length) return;
    await this.serialized(shop, async () => {
      const state = await this.db.searchIndex.findUnique({ where: { shop } });
      const ids = documents.map((d) => d.id);
      const present = state ? await this.existingIds(state.activeCollection, ids) : new Set<string>();
      const missing = ids.filter((id) => !present.has(id));
      // Checked before writing: a partial metadata update would leave the index half-changed.
      if (missing.length) {
        throw new ProductIndexError(
          `updateMetadata for products not in the index (upsert them): ${missing.join(", ")}`,
        );
      }
      for (const name of this.writeTargets(state!)) {
        const collection = await this.collection(name);
        for (const batch of chunks(documents, await this.maxBatch())) {
          await collection.update({
            ids: batch.map((d) => d.id),
            metadatas: batch.map((d) => toStoredMetadata(d) as unknown as Metadata),
          });
        }
      }
      await this.bumpVersion(shop);
    });
  }

  async remove(shop: string, productIds: string[]): Promise<void> {
    if (!productIds.length) return;
    await this.serialized(shop, async () => {
      const state = await this.db.searchIndex.findUnique({ where: { shop } });
      if (!state) return;
      for (const name of this.writeTargets(state)) {
        const collection = await this.collection(name);
        for (const batch of chunks([...new Set(productIds)], await this.maxBatch())) {
          await collection.delete({ ids: batch });
        }
      }
      await this.bumpVersion(shop);
    });
  }

  async dropShop(shop: string): Promise<void> {
    await this.serialized(shop, async () => {
      const prefix = shopCollectionPrefix(shop);
      // Strays from an interrupted rebuild are found by the shop prefix, not only via the registry.
      const names = new Set<string>();
      for (let offset = 0; ; offset += 100) {
        const page = await this.chroma.listCollections({ limit: 100, offset });
        for (const collection of page) if (collection.name.startsWith(prefix)) names.add(collection.name);
        if (page.length < 100) break;
      }
      for (const name of names) await this.deleteCollection(name);
      await this.db.searchIndex.deleteMany({ where: { shop } });
      this.log?.info({ shop, collections: names.size }, "search index dropped");
    });
  }

  async listProductIds(shop: string): Promise<string[]> {
    const state = await this.state(shop);
    if (!state) return [];
    const collection = await this.collection(state.activeCollection);
    const ids: string[] = [];
    const page = 5000;
    for (let offset = 0; ; offset += page) {
      const result = await collection.get({ limit: page, offset, include: [] });
      ids.push(...result.ids);
      if (result.ids.length < page) break;
    }
    return ids;
  }

  async count(shop: string): Promise<number> {
    const state = await this.state(shop);
    if (!state) return 0;
    return (await this.collection(state.activeCollection)).count();
  }

  // ---- Read side (used by search) ------------------------------------------------------------

  /** The shop's registry row, or null when nothing was ever indexed. */
  state(shop: string): Promise<SearchIndex | null> {
    return this.db.searchIndex.findUnique({ where: { shop } });
  }

  /** Whether the shop's active collection was embedded by the configured model (query vectors fit). */
  servesCurrentModel(state: SearchIndex): boolean {
    const { provider, model } = this.embeddings.descriptor;
    return state.provider === provider && state.model === model;
  }

  /** Every product of a collection with its text and metadata, in pages. */
  async readAll(collectionName: string): Promise<IndexedProduct[]> {
    const collection = await this.collection(collectionName);
    const products: IndexedProduct[] = [];
    const page = 2000;
    for (let offset = 0; ; offset += page) {
      const result = await collection.get({ limit: page, offset, include: ["documents", "metadatas"] });
      result.ids.forEach((id, i) => products.push(fromStored(id, result.documents[i], result.metadatas[i])));
      if (result.ids.length < page) break;
    }
    return products;
  }

  /** Nearest neighbours, optionally restricted by metadata (`where`) or to given products (`ids`). */
  async queryVectors(
    collectionName: string,
    vector: number[],
    limit: number,
    restrict: { where?: Where; ids?: string[] } = {},
  ): Promise<VectorHit[]> {
    const { where, ids } = restrict;
    if (ids && !ids.length) return [];
    const collection = await this.collection(collectionName);
    const result = await collection.query({
      queryEmbeddings: [vector],
      nResults: ids ? Math.min(limit, ids.length) : limit,
      where: where && Object.keys(where).length ? where : undefined,
      ids,
      include: ["distances"],
    });
    const distances = result.distances[0] ?? [];
    return (result.ids[0] ?? []).map((id, i) => ({ id, distance: distances[i] ?? 1 }));
  }

  embedQuery(text: string): Promise<number[]> {
    return this.embeddings.embeddings.embedQuery(text);
  }

  /**
   * Re-embeds every product of the active collection into a new collection for the configured
   * model and switches the shop to it atomically. Writes in this process wait; a same-model
   * rebuild (repair) also receives concurrent writes from other instances via `rebuildingCollection`.
   */
  rebuild(shop: string): Promise<{ collection: string; products: number }> {
    return this.serialized(shop, () => this.rebuildNow(shop));
  }

  // ---- internals -----------------------------------------------------------------------------

  private async rebuildNow(shop: string): Promise<{ collection: string; products: number }> {
    const state = await this.db.searchIndex.findUnique({ where: { shop } });
    if (!state) {
      const created = await this.createRegistry(shop);
      return { collection: created.activeCollection, products: 0 };
    }
    const generation = state.generation + 1;
    const target = productCollectionName(shop, this.embeddings.descriptor, generation);
    await this.db.searchIndex.update({ where: { shop }, data: { rebuildingCollection: target } });
    const source = await this.collection(state.activeCollection);
    const destination = await this.collection(target);
    let products = 0;
    let dimensions: number | undefined;
    const page = await this.maxBatch();
    for (let offset = 0; ; offset += page) {
      const result = await source.get({ limit: page, offset, include: ["documents", "metadatas"] });
      if (result.ids.length) {
        const vectors = await this.embed(result.documents.map((d) => d ?? ""));
        dimensions ??= vectors[0]?.length;
        await destination.upsert({
          ids: result.ids,
          embeddings: vectors,
          documents: result.documents.map((d) => d ?? ""),
          metadatas: result.metadatas.map((m) => m ?? {}),
        });
        products += result.ids.length;
      }
      if (result.ids.length < page) break;
    }
    const { provider, model } = this.embeddings.descriptor;
    const switched = await this.db.searchIndex.updateMany({
      where: { shop, activeCollection: state.activeCollection },
      data: {
        activeCollection: target,
        provider,
        model,
        dimensions: dimensions ?? this.embeddings.descriptor.dimensions ?? null,
        generation,
        rebuildingCollection: null,
        version: { increment: 1 },
      },
    });
    if (switched.count === 0) {
      // Another instance switched first; its collection is the one in use.
      await this.deleteCollection(target);
      throw new ProductIndexError(`rebuild of ${shop} lost a race with another instance; nothing switched`);
    }
    await this.deleteCollection(state.activeCollection);
    this.log?.info({ shop, from: state.activeCollection, to: target, products, model }, "search index rebuilt");
    return { collection: target, products };
  }

  /** The registry row for writing: created on first use, rebuilt first when the model changed. */
  private async ensureCurrent(shop: string): Promise<SearchIndex> {
    let state = await this.db.searchIndex.findUnique({ where: { shop } });
    if (!state) state = await this.createRegistry(shop);
    if (!this.servesCurrentModel(state)) {
      this.log?.warn(
        { shop, indexed: `${state.provider}:${state.model}`, configured: this.embeddings.descriptor.model },
        "embedding model changed: rebuilding the shop's index",
      );
      await this.rebuildNow(shop);
      state = (await this.db.searchIndex.findUnique({ where: { shop } }))!;
    }
    return state;
  }

  private async createRegistry(shop: string): Promise<SearchIndex> {
    const { provider, model, dimensions } = this.embeddings.descriptor;
    const name = productCollectionName(shop, this.embeddings.descriptor, 1);
    await this.collection(name);
    // Two instances may race here: both compute the same name, and upsert keeps the first row.
    return this.db.searchIndex.upsert({
      where: { shop },
      create: { shop, activeCollection: name, provider, model, dimensions: dimensions ?? null },
      update: {},
    });
  }

  private writeTargets(state: SearchIndex): string[] {
    const targets = [state.activeCollection];
    if (state.rebuildingCollection && this.servesCurrentModel(state)) targets.push(state.rebuildingCollection);
    return targets;
  }

  private async recordDimensions(state: SearchIndex, dimensions: number | undefined) {
    if (dimensions === undefined) return;
    if (state.dimensions === null) {
      await this.db.searchIndex.update({ where: { shop: state.shop }, data: { dimensions } });
    } else if (state.dimensions !== dimensions) {
      throw new ProductIndexError(
        `embedding dimension ${dimensions} does not match the collection's ${state.dimensions} (${state.model})`,
      );
    }
  }

  private bumpVersion(shop: string) {
    return this.db.searchIndex.update({ where: { shop }, data: { version: { increment: 1 } } });
  }

  private async embed(texts: string[]): Promise<number[][]> {
    const vectors = await this.embeddings.embeddings.embedDocuments(texts);
    if (vectors.length !== texts.length) {
      throw new ProductIndexError(`embedder returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return vectors;
  }

  private async existingIds(collectionName: string, ids: string[]): Promise<Set<string>> {
    const collection = await this.collection(collectionName);
    const found = new Set<string>();
    for (const batch of chunks(ids, await this.maxBatch())) {
      for (const id of (await collection.get({ ids: batch, include: [] })).ids) found.add(id);
    }
    return found;
  }

  private collection(name: string): Promise<Collection> {
    let collection = this.collections.get(name);
    if (!collection) {
      const { provider, model } = this.embeddings.descriptor;
      collection = this.chroma
        .getOrCreateCollection({
          name,
          // Vectors are always supplied by us; Chroma must never embed with its default model.
          embeddingFunction: null,
          configuration: { hnsw: { space: "cosine" } },
          metadata: { provider, model },
        })
        .catch((error: unknown) => {
          this.collections.delete(name);
          throw error;
        });
      this.collections.set(name, collection);
    }
    return collection;
  }

  private async deleteCollection(name: string) {
    this.collections.delete(name);
    try {
      await this.chroma.deleteCollection({ name });
    } catch (error) {
      if (!/not.?found|does not exist/i.test(String((error as Error).message))) throw error;
    }
  }

  private async maxBatch(): Promise<number> {
    this.batchSize ??= Math.max(1, Math.min(this.requestedBatchSize, await this.chroma.getMaxBatchSize()));
    return this.batchSize;
  }

  private serialized<T>(shop: string, work: () => Promise<T>): Promise<T> {
    const previous = this.shopQueues.get(shop) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.shopQueues.set(shop, settled);
    void settled.then(() => {
      if (this.shopQueues.get(shop) === settled) this.shopQueues.delete(shop);
    });
    return next;
  }
}
