// Vectors of a shop's products, one collection per shop, embedding model and generation
// (docs/decisions/050, 097). Implementations go through LangChain's VectorStore from
// `@langchain/community`: Chroma (chroma-vector-store.server.ts) and PGVectorStore
// (pgvector-vector-store.server.ts), chosen by VECTOR_STORE. Text, metadata and filters live in
// the catalog store; a collection holds each product's vector and id only.
/**
 * A product's vector. Its text lives in the catalog store only: a vector query returns what is
 * stored with each hit, and carrying 1–2 KB of text per candidate made every query several times
 * slower for nothing (search reads the text of the hits it shows from the database).
 */
export interface VectorRecord {
  id: string;
  vector: number[];
}

export interface VectorHit {
  id: string;
  /** Cosine distance (0 = same direction). */
  distance: number;
}

export interface ProductVectorStore {
  /** "chroma" | "pgvector": shown on the dashboard and in logs. */
  readonly kind: string;
  /**
   * Up to this many ids, a query restricted to them (exact) costs no more than the walk for a
   * filtered search's pool of nearest neighbours, so search restricts instead (decision 134).
   */
  readonly maxRestrictedIds: number;
  /** Creates the collection if needed and inserts or replaces these records. */
  upsert(collection: string, records: VectorRecord[]): Promise<void>;
  /** Unknown ids are ignored. */
  remove(collection: string, ids: string[]): Promise<void>;
  /**
   * Nearest neighbours of `vector`, best first. `restrictTo`: only among these product ids (the
   * products that passed the filters); an empty list gives no hits. A missing collection gives no hits.
   */
  query(collection: string, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]>;
  /**
   * The stored vectors of these products (relevance feedback reads a search's candidates). Unknown
   * ids and a missing collection give no entry.
   */
  vectors(collection: string, ids: string[]): Promise<Map<string, number[]>>;
  count(collection: string): Promise<number>;
  /** Ids of all records (reconciliation, tests), in pages. */
  listIds(collection: string): Promise<string[]>;
  /** Names of the collections starting with `prefix` (strays of an interrupted rebuild included). */
  listCollections(prefix: string): Promise<string[]>;
  /** Deletes the collection and its vectors; a missing collection is not an error. */
  dropCollection(collection: string): Promise<void>;
  /** One cheap round trip; resolves to what is shown on health ("chroma at http://…"), rejects when down. */
  ping(): Promise<string>;
  /** Releases connections (pools). */
  close(): Promise<void>;
}
