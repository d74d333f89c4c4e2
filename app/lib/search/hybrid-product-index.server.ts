// ProductIndex over the two stores search reads (docs/decisions/096, 097): the catalog in the app
// database (text, card metadata, filters, full-text entries) and the vectors in a LangChain vector
// store (Chroma or pgvector), one collection per shop, embedding model and generation, recorded in
// the SearchIndex registry row. Every catalog write bumps the shop's `version` in its own
// transaction, which is all that result caches key on; no process keeps a copy of any catalog.
// A change of embedding model (or an explicit repair) re-embeds the catalog's documents into a new
// collection and switches the registry row in one conditional update.
import type { PrismaClient, SearchIndex } from "@prisma/client";
import type { ProductDocument } from "../catalog/product-document";
import type { Logger } from "../logger.server";
import type { CatalogStore } from "./catalog-store";
import { productCollectionName, shopCollectionPrefix } from "./collection-name";
import type { EmbeddingsProvider } from "./embeddings.server";
import { ProductIndexError, type ProductIndex } from "./product-index";
import type { ProductVectorStore, VectorHit } from "./vector-store";

export interface HybridProductIndexOptions {
  db: PrismaClient;
  catalog: CatalogStore;
  vectors: ProductVectorStore;
  embeddings: EmbeddingsProvider;
  log?: Logger;
  /** Documents embedded and written per step of a rebuild. */
  rebuildBatchSize?: number;
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

export class HybridProductIndex implements ProductIndex {
  private readonly db: PrismaClient;
  readonly catalog: CatalogStore;
  readonly vectors: ProductVectorStore;
  readonly embeddings: EmbeddingsProvider;
  private readonly log: Logger | undefined;
  private readonly rebuildBatchSize: number;
  /** Per-shop write queue in this process: writes and rebuilds of one shop never interleave here. */
  private readonly shopQueues = new Map<string, Promise<unknown>>();

  constructor(options: HybridProductIndexOptions) {
    this.db = options.db;
    this.catalog = options.catalog;
    this.vectors = options.vectors;
    this.embeddings = options.embeddings;
    this.log = options.log;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 256;
  }

  // ---- ProductIndex (called by sync) ---------------------------------------------------------

  async upsert(shop: string, documents: ProductDocument[]): Promise<{ embedded: number }> {
    validateDocuments(documents);
    if (!documents.length) return { embedded: 0 };
    return this.serialized(shop, async () => {
      const state = await this.ensureCurrent(shop);
      // A vector store that is down fails the batch before it pays for embeddings it cannot store
      // (the sync worker retries the batch with backoff: 12 times in a 30-minute outage).
      await this.vectors.ping();
      const vectors = await this.embed(documents.map((d) => d.text));
      await this.recordDimensions(state, vectors[0]?.length);
      // Vectors first: a product is searchable once its catalog row exists, and a vector without a
      // row is ignored by search (every hit is joined with the catalog), so a crash in between is safe.
      const records = documents.map((d, i) => ({ id: d.id, vector: vectors[i] }));
      for (const name of this.writeTargets(state)) await this.vectors.upsert(name, records);
      await this.catalog.write(shop, documents);
      return { embedded: documents.length };
    });
  }

  async updateMetadata(shop: string, documents: ProductDocument[]): Promise<void> {
    validateDocuments(documents);
    if (!documents.length) return;
    await this.serialized(shop, async () => {
      const ids = documents.map((d) => d.id);
      const present = await this.catalog.existingIds(shop, ids);
      const missing = ids.filter((id) => !present.has(id));
      // Checked before writing: a metadata update must never create a product without a vector.
      if (missing.length) {
        throw new ProductIndexError(
          `updateMetadata for products not in the index (upsert them): ${missing.join(", ")}`,
        );
      }
      // Prices, availability, SKUs: rows in the database only; the vectors do not change.
      await this.catalog.write(shop, documents);
    });
  }

  async remove(shop: string, productIds: string[]): Promise<void> {
    if (!productIds.length) return;
    await this.serialized(shop, async () => {
      const state = await this.state(shop);
      if (!state) return;
      const ids = [...new Set(productIds)];
      await this.catalog.remove(shop, ids);
      for (const name of this.writeTargets(state)) await this.vectors.remove(name, ids);
    });
  }

  async dropShop(shop: string): Promise<void> {
    await this.serialized(shop, async () => {
      // Strays from an interrupted rebuild are found by the shop prefix, not only via the registry.
      const names = await this.vectors.listCollections(shopCollectionPrefix(shop));
      for (const name of names) await this.vectors.dropCollection(name);
      await this.catalog.dropShop(shop);
      await this.db.searchIndex.deleteMany({ where: { shop } });
      this.log?.info({ shop, collections: names.length }, "search index dropped");
    });
  }

  listProductIds(shop: string): Promise<string[]> {
    return this.catalog.listProductIds(shop);
  }

  count(shop: string): Promise<number> {
    return this.catalog.count(shop);
  }

  // ---- Read side (search, dashboard) ---------------------------------------------------------

  /** The shop's registry row, or null when nothing was ever indexed. */
  state(shop: string): Promise<SearchIndex | null> {
    return this.db.searchIndex.findUnique({ where: { shop } });
  }

  /** Whether the shop's active collection was embedded by the configured model (query vectors fit). */
  servesCurrentModel(state: SearchIndex): boolean {
    const { provider, model } = this.embeddings.descriptor;
    return state.provider === provider && state.model === model;
  }

  /** Vectors in the shop's active collection (the dashboard compares it with the catalog count). */
  vectorCount(state: SearchIndex): Promise<number> {
    return this.vectors.count(state.activeCollection);
  }

  queryVectors(state: SearchIndex, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]> {
    return this.vectors.query(state.activeCollection, vector, k, restrictTo);
  }

  vectorsOf(state: SearchIndex, ids: string[]): Promise<Map<string, number[]>> {
    return this.vectors.vectors(state.activeCollection, ids);
  }

  get maxRestrictedIds(): number {
    return this.vectors.maxRestrictedIds;
  }

  embedQuery(text: string): Promise<number[]> {
    return this.embeddings.embeddings.embedQuery(text);
  }

  /**
   * Re-embeds the shop's catalog into a new collection for the configured model and switches the
   * shop to it atomically. Writes in this process wait; a same-model rebuild (repair) also receives
   * concurrent writes from other instances via `rebuildingCollection`.
   */
  rebuild(shop: string): Promise<{ collection: string; products: number }> {
    return this.serialized(shop, () => this.rebuildNow(shop));
  }

  // ---- internals -----------------------------------------------------------------------------

  private async rebuildNow(shop: string): Promise<{ collection: string; products: number }> {
    const state = await this.state(shop);
    if (!state) {
      const created = await this.createRegistry(shop);
      return { collection: created.activeCollection, products: 0 };
    }
    const generation = state.generation + 1;
    const target = productCollectionName(shop, this.embeddings.descriptor, generation);
    await this.db.searchIndex.update({ where: { shop }, data: { rebuildingCollection: target } });
    let products = 0;
    let dimensions: number | undefined;
    for (let after: string | null = null; ;) {
      const page = await this.catalog.page(shop, after, this.rebuildBatchSize);
      if (!page.length) break;
      const vectors = await this.embed(page.map((p) => p.text));
      dimensions ??= vectors[0]?.length;
      await this.vectors.upsert(
        target,
        page.map((p, i) => ({ id: p.id, vector: vectors[i] })),
      );
      products += page.length;
      after = page[page.length - 1].id;
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
      await this.vectors.dropCollection(target);
      throw new ProductIndexError(`rebuild of ${shop} lost a race with another instance; nothing switched`);
    }
    await this.vectors.dropCollection(state.activeCollection);
    this.log?.info({ shop, from: state.activeCollection, to: target, products, model }, "search index rebuilt");
    return { collection: target, products };
  }

  /** The registry row for writing: created on first use, rebuilt first when the model changed. */
  private async ensureCurrent(shop: string): Promise<SearchIndex> {
    let state = await this.state(shop);
    if (!state) state = await this.createRegistry(shop);
    if (!this.servesCurrentModel(state)) {
      this.log?.warn(
        { shop, indexed: `${state.provider}:${state.model}`, configured: this.embeddings.descriptor.model },
        "embedding model changed: rebuilding the shop's index",
      );
      await this.rebuildNow(shop);
      state = (await this.state(shop))!;
    }
    return state;
  }

  private createRegistry(shop: string): Promise<SearchIndex> {
    const { provider, model, dimensions } = this.embeddings.descriptor;
    const name = productCollectionName(shop, this.embeddings.descriptor, 1);
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

  private async embed(texts: string[]): Promise<number[][]> {
    const vectors = await this.embeddings.embeddings.embedDocuments(texts);
    if (vectors.length !== texts.length) {
      throw new ProductIndexError(`embedder returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return vectors;
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
