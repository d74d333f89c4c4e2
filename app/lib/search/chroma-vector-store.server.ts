// ProductVectorStore on LangChain's Chroma vector store (docs/decisions/097). One LangChain
// `Chroma` per collection, all sharing the app's ChromaClient; vectors are always supplied.
//
// LangChain 1.1's `Chroma.ensureCollection` creates a missing collection on any call (a query for
// a dropped generation would bring it back as an empty stray) and ignores `collectionConfiguration`
// (the collection would get Chroma's default L2 space). So this class resolves the collection
// itself — created with cosine HNSW and no Chroma-side embedding function for writes, only looked
// up for reads — and hands it to the LangChain store through its public `collection` field.
import { Chroma } from "@langchain/community/vectorstores/chroma";
import type { ChromaClient, Collection } from "chromadb";
import { LRUCache } from "lru-cache";
import { VectorOnlyEmbeddings } from "./vector-only-embeddings";
import { chunks, guarded, validateRecords } from "./vector-store-error";
import type { ProductVectorStore, VectorHit, VectorRecord } from "./vector-store";

export interface ChromaVectorStoreOptions {
  client: ChromaClient;
  /** LangChain `Chroma` instances (one per collection) kept in this process; least recently used go first. */
  cacheSize?: number;
  /** Records per write request; capped by the server's own maximum batch size. */
  batchSize?: number;
  /** Where the server is, as health shows it (e.g. CHROMA_URL). */
  location?: string;
}

/** Metadata key holding the product id: LangChain's Chroma can restrict a query by metadata only. */
const PRODUCT_ID = "productId";
const PAGE = 1000;
/**
 * HNSW search breadth (candidates kept while walking the graph; a query for more uses k). Chroma's
 * default, 100, missed 3–5 % of the true 50 nearest products of 6,482 (WANDS) and several of 600
 * random vectors; 400 found 99.5 % at the same latency (HTTP dominates), so Chroma ranks like
 * pgvector's exact scan. Set when a collection is created: Chroma 1.0 does not apply a later change
 * to a loaded index, so collections created before keep 100 until their next rebuild.
 */
const CHROMA_HNSW = { space: "cosine", ef_search: 400 } as const;

const isNotFound = (error: unknown) =>
  error instanceof Error && (error.name === "ChromaNotFoundError" || /not.?found|does not exist/i.test(error.message));

export class ChromaVectorStore implements ProductVectorStore {
  readonly kind = "chroma";
  /** Decision 098's bound (not measured again on Chroma by decision 134). */
  readonly maxRestrictedIds = 1000;
  private readonly client: ChromaClient;
  private readonly stores: LRUCache<string, Chroma>;
  private readonly embeddings = new VectorOnlyEmbeddings("chroma");
  private readonly requestedBatchSize: number;
  private readonly location: string;
  private batchSize: number | undefined;

  constructor(options: ChromaVectorStoreOptions) {
    this.client = options.client;
    this.stores = new LRUCache({ max: options.cacheSize ?? 256 });
    this.requestedBatchSize = options.batchSize ?? 500;
    this.location = options.location ?? "the configured server";
  }

  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    validateRecords(records);
    if (!records.length) return;
    await this.guard("upsert", collection, () =>
      this.retryOnStale(collection, async () => {
        const store = await this.writable(collection);
        for (const batch of chunks(records, await this.maxBatch())) {
          await store.addVectors(
            batch.map((record) => record.vector),
            batch.map((record) => ({ pageContent: "", metadata: { [PRODUCT_ID]: record.id } })),
            { ids: batch.map((record) => record.id) },
          );
        }
      }),
    );
  }

  async remove(collection: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.guard("remove", collection, () =>
      this.retryOnStale(collection, async () => {
        const store = await this.readable(collection);
        if (!store) return;
        for (const batch of chunks([...new Set(ids)], await this.maxBatch())) await store.delete({ ids: batch });
      }),
    );
  }

  async query(collection: string, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]> {
    if (k < 1 || (restrictTo && !restrictTo.length)) return [];
    return this.guard("query", collection, () =>
      this.retryOnStale(collection, async () => {
        const store = await this.readable(collection);
        if (!store) return [];
        // A metadata `$in` is the one id restriction LangChain's Chroma can express (measured in 097).
        const allowed = restrictTo && [...new Set(restrictTo)];
        const results = await store.similaritySearchVectorWithScore(
          vector,
          allowed ? Math.min(k, allowed.length) : k,
          allowed ? { [PRODUCT_ID]: { $in: allowed } } : undefined,
        );
        return results.map(([document, distance]) => ({ id: String(document.id), distance }));
      }),
    );
  }

  async vectors(collection: string, ids: string[]): Promise<Map<string, number[]>> {
    if (!ids.length) return new Map();
    return this.guard("vectors", collection, () =>
      this.retryOnStale(collection, async () => {
        const handle = (await this.readable(collection))?.collection;
        if (!handle) return new Map();
        const found = await handle.get({ ids: [...new Set(ids)], include: ["embeddings"] });
        return new Map(found.ids.map((id, i) => [id, found.embeddings[i]]));
      }),
    );
  }

  async count(collection: string): Promise<number> {
    return this.guard("count", collection, () =>
      this.retryOnStale(collection, async () => (await this.readable(collection))?.collection?.count() ?? 0),
    );
  }

  async listIds(collection: string): Promise<string[]> {
    return this.guard("listIds", collection, () =>
      this.retryOnStale(collection, async () => {
        const handle = (await this.readable(collection))?.collection;
        const ids: string[] = [];
        for (let offset = 0; handle; offset += PAGE) {
          const page = await handle.get({ limit: PAGE, offset, include: [] });
          ids.push(...page.ids);
          if (page.ids.length < PAGE) break;
        }
        return ids;
      }),
    );
  }

  async listCollections(prefix: string): Promise<string[]> {
    return this.guard("listCollections", undefined, async () => {
      const names: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await this.client.listCollections({ limit: 100, offset });
        for (const { name } of page) if (name.startsWith(prefix)) names.push(name);
        if (page.length < 100) break;
      }
      return names.sort();
    });
  }

  async dropCollection(collection: string): Promise<void> {
    this.stores.delete(collection);
    await this.guard("dropCollection", collection, async () => {
      try {
        await this.client.deleteCollection({ name: collection });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }

  async ping(): Promise<string> {
    await this.client.heartbeat();
    return `chroma at ${this.location}`;
  }

  async close(): Promise<void> {
    // The ChromaClient is shared (HTTP, no pool of its own): only the cached handles go.
    this.stores.clear();
  }

  // ---- internals -----------------------------------------------------------------------------

  private store(collection: string): Chroma {
    let store = this.stores.get(collection);
    if (!store) {
      store = new Chroma(this.embeddings, {
        index: this.client,
        collectionName: collection,
        // Declared by LangChain but not applied by 1.1.29; kept so a fixed version creates the same.
        collectionConfiguration: { hnsw: CHROMA_HNSW },
      });
      this.stores.set(collection, store);
    }
    return store;
  }

  private async writable(collection: string): Promise<Chroma> {
    const store = this.store(collection);
    store.collection ??= await this.client.getOrCreateCollection({
      name: collection,
      // Vectors are always supplied; Chroma must never embed with a default model of its own.
      embeddingFunction: null,
      configuration: { hnsw: CHROMA_HNSW },
    });
    return store;
  }

  /** The store of an existing collection, or null (nothing is created by a read). */
  private async readable(collection: string): Promise<Chroma | null> {
    const store = this.store(collection);
    if (store.collection) return store;
    let handle: Collection;
    try {
      handle = await this.client.getCollection({ name: collection });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    store.collection ??= handle;
    return store;
  }

  /**
   * A cached handle whose collection another instance dropped (and maybe recreated) answers
   * "not found": forget it and try once more with a fresh lookup.
   */
  private async retryOnStale<T>(collection: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.stores.delete(collection);
      return work();
    }
  }

  private guard<T>(operation: string, collection: string | undefined, work: () => Promise<T>): Promise<T> {
    return guarded(this.kind, operation, collection, work);
  }

  private async maxBatch(): Promise<number> {
    if (this.batchSize === undefined) {
      // -1 means the server sets no limit.
      const serverMax = await this.client.getMaxBatchSize();
      this.batchSize = Math.max(
        1,
        serverMax > 0 ? Math.min(this.requestedBatchSize, serverMax) : this.requestedBatchSize,
      );
    }
    return this.batchSize;
  }
}
