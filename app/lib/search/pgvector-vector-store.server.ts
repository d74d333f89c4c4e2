// ProductVectorStore on LangChain's PGVectorStore (docs/decisions/097).
//
// Layout: one collection table (LangChain's `collectionTableName`) with a row per collection
// (shop × embedding model × generation, the same names as Chroma's collections), and one embeddings
// table per embedding space (`vector(n)` columns differ between models), named after the model
// hash inside the collection name. Every row carries its collection's uuid; LangChain scopes every
// query and delete by it, and dropping the collection row cascades to its vectors.
//
// Around LangChain 1.1's PGVectorStore:
// - its ids are uuids and the primary key spans all collections of a table, so a row's id is a
//   uuid derived from (collection, product id); the product id itself is the `productId` metadata;
// - it inserts without ON CONFLICT, so a replace is a delete of those ids followed by the insert, in
//   one transaction under a per-collection advisory lock (its statements go through `pool.query`);
// - any search or delete creates a missing collection row, so reads check that it exists first;
// - `initialize` keeps a pooled connection checked out for good, so tables are created through
//   its public `ensure…` methods instead;
// - it creates no index on `collection_id`: this class adds (collection_id, productId), which the
//   exact, collection-scoped scan uses (097 has the measurements against HNSW).
import { createHash } from "node:crypto";
import { PGVectorStore } from "@langchain/community/vectorstores/pgvector";
import pg from "pg";
import { LRUCache } from "lru-cache";
import { VectorOnlyEmbeddings } from "./vector-only-embeddings";
import { chunks, guarded, validateRecords } from "./vector-store-error";
import type { ProductVectorStore, VectorHit, VectorRecord } from "./vector-store";

export interface PgvectorVectorStoreOptions {
  /** A pool the caller owns (and ends), or a connection string for a pool this store owns. */
  connection: { pool: pg.Pool } | { url: string; maxConnections?: number };
  /** Table of collection rows, shared by all embedding spaces. */
  collectionTableName?: string;
  /**
   * The embeddings table of a collection. Default: `aisle_vectors_<model hash>` taken from a
   * productCollectionName (`aisle-<shop>-<model>-g<n>`); other names need this option.
   */
  tableFor?: (collection: string) => string;
  /** PGVectorStore instances (one per collection) kept in this process; least recently used go first. */
  cacheSize?: number;
  /** Where the database is, as health shows it (credentials removed). */
  location?: string;
  /** Rows per INSERT (LangChain's chunkSize): 5 parameters a row, Postgres allows 65,535. */
  batchSize?: number;
}

const PRODUCT_ID = "productId";
const PAGE = 5000;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const COLLECTION_NAME = /^aisle-[0-9a-f]{16}-([0-9a-f]{8})-g\d+$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

function defaultTableFor(collection: string): string {
  const space = COLLECTION_NAME.exec(collection)?.[1];
  if (!space) throw new Error(`cannot tell the embedding space of collection ${collection}: pass tableFor`);
  return `aisle_vectors_${space}`;
}

/** The row id of a product in a collection (stable, so a replace finds the old row). */
function rowId(collection: string, productId: string): string {
  const hex = createHash("sha256").update(`${collection}\0${productId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const isUndefinedTable = (error: unknown) => (error as { code?: string })?.code === "42P01";

export class PgvectorVectorStore implements ProductVectorStore {
  readonly kind = "pgvector";
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly collectionTable: string;
  private readonly tableFor: (collection: string) => string;
  private readonly stores: LRUCache<string, PGVectorStore>;
  private readonly embeddings = new VectorOnlyEmbeddings("pgvector");
  private readonly batchSize: number;
  private readonly location: string;
  /** Embeddings tables made ready by this process (one per embedding space, so few). */
  private readonly readyTables = new Map<string, Promise<void>>();

  constructor(options: PgvectorVectorStoreOptions) {
    if ("pool" in options.connection) {
      this.pool = options.connection.pool;
      this.ownsPool = false;
    } else {
      this.pool = new pg.Pool({
        connectionString: options.connection.url,
        max: options.connection.maxConnections ?? 10,
        // A host that swallows packets must fail a request, not hang it.
        connectionTimeoutMillis: 10_000,
      });
      // An idle connection the server drops emits "error" on the pool; unhandled, it would end the process.
      this.pool.on("error", () => undefined);
      this.ownsPool = true;
    }
    this.collectionTable = identifier(options.collectionTableName ?? "aisle_vector_collections");
    this.tableFor = (collection) => identifier((options.tableFor ?? defaultTableFor)(collection));
    this.stores = new LRUCache({ max: options.cacheSize ?? 256 });
    this.location = options.location ?? "the configured database";
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 13_000));
  }

  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    validateRecords(records);
    if (!records.length) return;
    await this.guard("upsert", collection, async () => {
      await this.ensureTable(this.store(collection), records[0].vector.length);
      // Delete-then-insert in one transaction: readers never miss a replaced product, a failure
      // leaves the old vectors, and the collection lock keeps concurrent writers from colliding.
      await this.writing(collection, async (store) => {
        for (const batch of chunks(records, this.batchSize)) {
          const ids = batch.map((record) => rowId(collection, record.id));
          await store.delete({ ids });
          await store.addVectors(
            batch.map((record) => record.vector),
            batch.map((record) => ({ pageContent: "", metadata: { [PRODUCT_ID]: record.id } })),
            { ids },
          );
        }
      });
    });
  }

  async remove(collection: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.guard("remove", collection, () =>
      this.writing(collection, async (store, client) => {
        // Checked under the lock: LangChain's delete would otherwise re-create a dropped collection.
        if (!(await this.exists(collection, client))) return;
        for (const batch of chunks([...new Set(ids)], this.batchSize)) {
          await store.delete({ ids: batch.map((id) => rowId(collection, id)) });
        }
      }),
    );
  }

  async query(collection: string, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]> {
    if (k < 1 || (restrictTo && !restrictTo.length)) return [];
    return this.guard("query", collection, async () => {
      if (!(await this.exists(collection))) return [];
      const allowed = restrictTo && [...new Set(restrictTo)];
      // Exact distances over the collection's rows (or the allowed ones), found through the
      // (collection_id, productId) index: no HNSW post-filtering that could return fewer than k.
      const results = await this.store(collection).similaritySearchVectorWithScore(
        vector,
        allowed ? Math.min(k, allowed.length) : k,
        allowed ? { [PRODUCT_ID]: { in: allowed } } : undefined,
      );
      return results.map(([document, distance]) => ({ id: String(document.metadata[PRODUCT_ID]), distance }));
    });
  }

  async count(collection: string): Promise<number> {
    return this.guard("count", collection, async () => {
      const rows = await this.rowsOf<{ count: string }>(
        collection,
        (table) =>
          `SELECT count(*) AS count FROM ${table} WHERE collection_id = (SELECT uuid FROM ${this.collectionTable} WHERE name = $1)`,
        [collection],
      );
      return Number(rows[0]?.count ?? 0);
    });
  }

  async listIds(collection: string): Promise<string[]> {
    return this.guard("listIds", collection, async () => {
      const ids: string[] = [];
      // Keyset pages by row id: each round trip stays bounded, whatever the catalog's size.
      for (let after = "00000000-0000-0000-0000-000000000000"; ;) {
        const rows = await this.rowsOf<{ id: string; product: string }>(
          collection,
          (table) =>
            `SELECT id, metadata->>'${PRODUCT_ID}' AS product FROM ${table}
             WHERE collection_id = (SELECT uuid FROM ${this.collectionTable} WHERE name = $1) AND id > $2
             ORDER BY id LIMIT ${PAGE}`,
          [collection, after],
        );
        ids.push(...rows.map((row) => row.product));
        if (rows.length < PAGE) return ids;
        after = rows[rows.length - 1].id;
      }
    });
  }

  async listCollections(prefix: string): Promise<string[]> {
    return this.guard("listCollections", undefined, async () => {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      try {
        const { rows } = await this.pool.query<{ name: string }>(
          `SELECT name FROM ${this.collectionTable} WHERE name LIKE $1 ORDER BY name`,
          [pattern],
        );
        return rows.map((row) => row.name);
      } catch (error) {
        if (isUndefinedTable(error)) return [];
        throw error;
      }
    });
  }

  async dropCollection(collection: string): Promise<void> {
    this.stores.delete(collection);
    await this.guard("dropCollection", collection, async () => {
      try {
        await this.writing(collection, (_store, client) =>
          // The embeddings tables reference the row with ON DELETE CASCADE: its vectors go with it.
          client.query(`DELETE FROM ${this.collectionTable} WHERE name = $1`, [collection]),
        );
      } catch (error) {
        if (!isUndefinedTable(error)) throw error;
      }
    });
  }

  async ping(): Promise<string> {
    await this.pool.query("SELECT 1");
    return `pgvector at ${this.location}`;
  }

  async close(): Promise<void> {
    this.stores.clear();
    if (this.ownsPool) await this.pool.end();
  }

  // ---- internals -----------------------------------------------------------------------------

  /** The cached store for reads (and table creation), on the pool. */
  private store(collection: string): PGVectorStore {
    let store = this.stores.get(collection);
    if (!store) {
      store = this.newStore(collection, this.pool);
      this.stores.set(collection, store);
    }
    return store;
  }

  private newStore(collection: string, pool: pg.Pool): PGVectorStore {
    return new PGVectorStore(this.embeddings, {
      pool,
      tableName: this.tableFor(collection),
      collectionTableName: this.collectionTable,
      collectionName: collection,
      distanceStrategy: "cosine",
      chunkSize: this.batchSize,
    });
  }

  /**
   * Runs writes of one collection in a transaction holding the collection's advisory lock (writers
   * of one collection take turns, across app instances). PGVectorStore only issues `pool.query`, so a
   * store bound to the transaction's client (same `query` API) runs its statements inside it.
   */
  private async writing<T>(collection: string, work: (store: PGVectorStore, client: pg.PoolClient) => Promise<T>) {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`aisle-vectors:${collection}`]);
      const result = await work(this.newStore(collection, client as unknown as pg.Pool), client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    } finally {
      // A connection that could not roll back is closed rather than returned to the pool.
      client.release(broken);
    }
  }

  /** Creates the collection table, the space's embeddings table (vector(n)) and our indexes, once. */
  private ensureTable(store: PGVectorStore, dimensions: number): Promise<void> {
    const table = store.tableName;
    let ready = this.readyTables.get(table);
    if (!ready) {
      ready = (async () => {
        await store.ensureTableInDatabase(dimensions);
        await store.ensureCollectionTableInDatabase();
        // Two writers creating the same collection at once would otherwise add two rows by one name.
        await this.pool.query(
          `CREATE UNIQUE INDEX IF NOT EXISTS ${this.collectionTable}_name_key ON ${this.collectionTable} (name)`,
        );
        await this.pool.query(
          `CREATE INDEX IF NOT EXISTS ${table}_collection_product_idx ON ${table} (collection_id, (metadata->>'${PRODUCT_ID}'))`,
        );
      })().catch((error: unknown) => {
        this.readyTables.delete(table);
        throw error;
      });
      this.readyTables.set(table, ready);
    }
    return ready;
  }

  private async exists(collection: string, db: pg.Pool | pg.PoolClient = this.pool): Promise<boolean> {
    try {
      const { rowCount } = await db.query(`SELECT 1 FROM ${this.collectionTable} WHERE name = $1`, [collection]);
      return Boolean(rowCount);
    } catch (error) {
      if (isUndefinedTable(error)) return false;
      throw error;
    }
  }

  /** Rows of a query on the collection's embeddings table; none when a table does not exist yet. */
  private async rowsOf<R extends pg.QueryResultRow>(
    collection: string,
    sql: (table: string) => string,
    values: unknown[],
  ): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql(this.tableFor(collection)), values)).rows;
    } catch (error) {
      if (isUndefinedTable(error)) return [];
      throw error;
    }
  }

  private guard<T>(operation: string, collection: string | undefined, work: () => Promise<T>): Promise<T> {
    return guarded(this.kind, operation, collection, work);
  }
}
