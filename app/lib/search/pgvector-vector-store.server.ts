// ProductVectorStore on LangChain's PGVectorStore (docs/decisions/097, 100).
//
// Layout: one collection table (LangChain's `collectionTableName`) with a row per collection
// (shop × embedding model × generation, the same names as Chroma's collections), and one embeddings
// table per collection (`aisle_vectors_<shop>_<model>_g<n>`), so each collection has its own HNSW
// index (candidates of one shop only) and dropping a collection is a DROP TABLE. Rows still carry
// their collection's uuid (LangChain scopes every statement by it; the FK cascades).
//
// Around LangChain 1.1's PGVectorStore:
// - its ids are uuids, so a row's id is a uuid derived from (collection, product id); the product
//   id itself is the `productId` metadata;
// - it inserts without ON CONFLICT, so a replace is a delete of those ids followed by the insert, in
//   one transaction under a per-collection advisory lock (its statements go through `pool.query`);
// - any search or delete creates a missing collection row, so reads check that it exists first and
//   writes check under the lock;
// - `initialize` keeps a pooled connection checked out for good, so tables are created through
//   its public `ensure…` methods instead; `createHnswIndex` logs instead of throwing (fatal inside
//   a transaction) and indexes a cast expression, so the HNSW index is created here.
import { createHash } from "node:crypto";
import type { PGVectorStore } from "@langchain/community/vectorstores/pgvector";
import pg from "pg";
import { LRUCache } from "lru-cache";
import { PRODUCT_ID, ProductVectorTable } from "./pgvector-product-table.server";
import { VectorOnlyEmbeddings } from "./vector-only-embeddings";
import { chunks, guarded, validateRecords } from "./vector-store-error";
import type { ProductVectorStore, VectorHit, VectorRecord } from "./vector-store";

export interface PgvectorVectorStoreOptions {
  /** A pool the caller owns (and ends), or a connection string for a pool this store owns. */
  connection: { pool: pg.Pool } | { url: string; maxConnections?: number };
  /** Table of collection rows, shared by all collections. */
  collectionTableName?: string;
  /**
   * The embeddings table of a collection. Default: `aisle_vectors_<shop hash>_<model hash>_g<n>`
   * taken from a productCollectionName (`aisle-<shop>-<model>-g<n>`); other names need this option.
   */
  tableFor?: (collection: string) => string;
  /** Where the database is, as health shows it (credentials removed). */
  location?: string;
  /** Rows per INSERT (LangChain's chunkSize): 5 parameters a row, Postgres allows 65,535. */
  batchSize?: number;
  /** A collection gets its HNSW index once it holds this many vectors (below, the exact scan is cheap). */
  hnswThreshold?: number;
  /** `hnsw.ef_search` of unrestricted queries: candidates kept while walking the graph (recall vs time). */
  efSearch?: number;
}

const PAGE = 5000;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const COLLECTION_NAME = /^aisle-([0-9a-f]{16})-([0-9a-f]{8})-g(\d+)$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

function defaultTableFor(collection: string): string {
  const parts = COLLECTION_NAME.exec(collection);
  if (!parts) throw new Error(`cannot tell the table of collection ${collection}: pass tableFor`);
  return `aisle_vectors_${parts[1]}_${parts[2]}_g${parts[3]}`;
}

/** Where the 097 layout kept a collection's vectors (one table per embedding space), if it can tell. */
function legacyTableFor(collection: string): string | undefined {
  const space = COLLECTION_NAME.exec(collection)?.[2];
  return space && `aisle_vectors_${space}`;
}

/** The row id of a product in a collection (stable, so a replace finds the old row). */
export function pgvectorRowId(collection: string, productId: string): string {
  const hex = createHash("sha256").update(`${collection}\0${productId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An advisory lock key as a literal (a signed 64-bit number from a digest), so BEGIN and the lock
 * go in one round trip: PGlite runs one transaction at a time, and every round trip inside one
 * keeps all other connections waiting.
 */
function lockKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash("sha256").update(name).digest("hex").slice(0, 16)}`)).toString();
}

const isUndefinedTable = (error: unknown) => (error as { code?: string })?.code === "42P01";

export class PgvectorVectorStore implements ProductVectorStore {
  readonly kind = "pgvector";
  /**
   * A restricted query reads each allowed row through the productId index (PGlite: 7–10 µs a row at
   * 10,000 products, 15–18 µs at 100,000), where the pool's walk with ef_search 400 and the filter
   * of its members take ~32 ms at 10,000 and ~58 ms at 100,000: 3,000 is near both break-evens (decision 134).
   */
  readonly maxRestrictedIds = 3000;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly collectionTable: string;
  private readonly tableFor: (collection: string) => string;
  private readonly embeddings = new VectorOnlyEmbeddings("pgvector");
  private readonly batchSize: number;
  private readonly location: string;
  private readonly hnswThreshold: number;
  private readonly efSearch: number;
  /** Tables this process saw with their HNSW index (saves the check on every write). */
  private readonly indexed: LRUCache<string, true>;

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
    this.indexed = new LRUCache({ max: 4096 });
    this.location = options.location ?? "the configured database";
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 13_000));
    this.hnswThreshold = Math.max(1, options.hnswThreshold ?? 5000);
    this.efSearch = Math.max(1, Math.min(Math.trunc(options.efSearch ?? 200), 1000));
    // Session settings, so unrestricted queries need no transaction (placeholders until the
    // session loads pgvector, which then adopts them). Connections a given pool opened before stay
    // at the server's defaults. A graph walk keeps at most ef_search candidates: without the
    // iterative scan (pgvector 0.8+; older servers refuse it and keep the cap) a query for more
    // nearest neighbours than that, like the filtered queries' pool, would get only ef_search.
    this.pool.on("connect", (client) => {
      client.query(`SET hnsw.ef_search = ${this.efSearch}`).catch(() => undefined);
      client.query("SET hnsw.iterative_scan = strict_order").catch(() => undefined);
    });
  }

  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    validateRecords(records);
    if (!records.length) return;
    await this.guard("upsert", collection, () =>
      // Delete-then-insert in one transaction: readers never miss a replaced product, a failure
      // leaves the old vectors, and the collection lock keeps concurrent writers from colliding.
      this.writing(collection, async (store, client) => {
        await this.ensureTable(collection, store, client, records[0].vector.length);
        for (const batch of chunks(records, this.batchSize)) {
          const ids = batch.map((record) => pgvectorRowId(collection, record.id));
          await store.delete({ ids });
          await store.addVectors(
            batch.map((record) => record.vector),
            batch.map((record) => ({ pageContent: "", metadata: { [PRODUCT_ID]: record.id } })),
            { ids },
          );
        }
        await this.indexWhenLarge(store.tableName, client);
      }),
    );
  }

  async remove(collection: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.guard("remove", collection, () =>
      this.writing(collection, async (store, client) => {
        // Checked under the lock: LangChain's delete would otherwise re-create a dropped collection.
        if (!(await this.hasTable(collection, store, client))) return;
        for (const batch of chunks([...new Set(ids)], this.batchSize)) {
          await store.delete({ ids: batch.map((id) => pgvectorRowId(collection, id)) });
        }
      }),
    );
  }

  async query(collection: string, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]> {
    if (k < 1 || (restrictTo && !restrictTo.length)) return [];
    const allowed = restrictTo && [...new Set(restrictTo)];
    const search = async (store: PGVectorStore) => {
      const results = await store.similaritySearchVectorWithScore(
        vector,
        allowed ? Math.min(k, allowed.length) : k,
        allowed ? { [PRODUCT_ID]: { in: allowed } } : undefined,
      );
      return results.map(([document, distance]) => ({ id: String(document.metadata[PRODUCT_ID]), distance }));
    };
    return this.guard("query", collection, () =>
      allowed
        ? // Must be exact: with index scans off, the planner reads the allowed rows through the
          // productId index (bitmap scan) and sorts them, instead of walking the HNSW graph and
          // post-filtering hits away. Sequential scans off too: past ~30 % of the table the planner
          // chose one, which tests every row against the whole id list (3,000 of 10,000: 250–500 ms
          // instead of ~30 ms in PGlite). In a transaction, so the settings end with it.
          this.reading(collection, search, [], "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
        : k > this.efSearch
          ? // A pool larger than ef_search (the filtered queries' 8× pool): one walk that keeps k
            // candidates costs half of the iterative scan's resumed walks (49 vs 100 ms for 400 of
            // 100k in PGlite). Past pgvector's cap of 1,000 the iterative scan still completes it.
            this.reading(collection, search, [], `SET LOCAL hnsw.ef_search = ${Math.min(k, 1000)}`)
          : // Walks the graph (if any) with the session's hnsw.ef_search.
            this.plain(collection, search, []),
    );
  }

  async vectors(collection: string, ids: string[]): Promise<Map<string, number[]>> {
    if (!ids.length) return new Map();
    return this.guard("vectors", collection, async () => {
      // pgvector's text form ("[0.1,0.2,…]") is a JSON array.
      const rows = await this.rowsOf<{ product: string; vector: string }>(
        collection,
        (table) =>
          `SELECT metadata->>'${PRODUCT_ID}' AS product, embedding::text AS vector FROM ${table}
           WHERE metadata->>'${PRODUCT_ID}' = ANY($1::text[])`,
        [[...new Set(ids)]],
      );
      return new Map(rows.map((row) => [row.product, JSON.parse(row.vector) as number[]]));
    });
  }

  async count(collection: string): Promise<number> {
    return this.guard("count", collection, async () => {
      const rows = await this.rowsOf<{ count: string }>(
        collection,
        (table) => `SELECT count(*) AS count FROM ${table}`,
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
            `SELECT id, metadata->>'${PRODUCT_ID}' AS product FROM ${table} WHERE id > $1 ORDER BY id LIMIT ${PAGE}`,
          [after],
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
    await this.guard("dropCollection", collection, async () => {
      try {
        await this.writing(collection, async (store, client) => {
          // The table first: deleting the row would otherwise cascade to every vector, one by one.
          await client.query(`DROP TABLE IF EXISTS ${store.tableName}`);
          this.indexed.delete(store.tableName);
          await client.query(`DELETE FROM ${this.collectionTable} WHERE name = $1`, [collection]);
          // Vectors still in a 097 shared table go with the row (ON DELETE CASCADE).
        });
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
    if (this.ownsPool) await this.pool.end();
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * A LangChain store on the pool or bound to a transaction's client (cheap to make). PGVectorStore
   * only issues `pool.query`, which a client has too, so its statements run inside the transaction.
   */
  private boundStore(collection: string, db: pg.Pool | pg.PoolClient): PGVectorStore {
    return new ProductVectorTable(this.embeddings, {
      pool: db as pg.Pool,
      tableName: this.tableFor(collection),
      collectionTableName: this.collectionTable,
      collectionName: collection,
      distanceStrategy: "cosine",
      chunkSize: this.batchSize,
    });
  }

  /**
   * Runs work in a transaction on one pooled connection; a connection that could not roll back is
   * closed rather than returned to the pool.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs writes of one collection in a transaction holding the collection's advisory lock (writers
   * of one collection take turns, across app instances).
   */
  private writing<T>(collection: string, work: (store: PGVectorStore, client: pg.PoolClient) => Promise<T>) {
    return this.transaction(
      (client) => work(this.boundStore(collection, client), client),
      `BEGIN; SELECT pg_advisory_xact_lock(${lockKey(`aisle-vectors:${collection}`)})`,
    );
  }

  /**
   * Runs a read in a transaction that starts with `settings`: a missing table (no such collection)
   * rolls back the collection row LangChain's search would have created, and gives `missing`.
   */
  private reading<T>(
    collection: string,
    work: (store: PGVectorStore) => Promise<T>,
    missing: T,
    settings: string,
  ): Promise<T> {
    return this.adoptingLegacy(
      collection,
      () => this.transaction((client) => work(this.boundStore(collection, client)), `BEGIN; ${settings}`),
      missing,
    );
  }

  /**
   * Runs a read outside a transaction (under PGlite, other connections' statements go in between):
   * `missing` when the collection row does not exist (LangChain would create it) or its table is gone.
   */
  private plain<T>(collection: string, work: (store: PGVectorStore) => Promise<T>, missing: T): Promise<T> {
    return this.adoptingLegacy(
      collection,
      async () => ((await this.exists(collection)) ? work(this.boundStore(collection, this.pool)) : missing),
      missing,
    );
  }

  /** A read that finds no table: a collection still in the 097 layout moves to its own table, once. */
  private async adoptingLegacy<T>(collection: string, read: () => Promise<T>, missing: T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isUndefinedTable(error)) throw error;
      }
      if (attempt > 0 || !(await this.adoptLegacy(collection))) return missing;
    }
  }

  private async exists(collection: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${this.collectionTable} WHERE name = $1`, [collection]);
    return Boolean(rowCount);
  }

  /** Rows of a statement on the collection's table; none when the collection does not exist. */
  private rowsOf<R extends pg.QueryResultRow>(
    collection: string,
    sql: (table: string) => string,
    values: unknown[] = [],
  ): Promise<R[]> {
    return this.plain(collection, async (store) => (await this.pool.query<R>(sql(store.tableName), values)).rows, []);
  }

  /**
   * Creates the collection's table (vector(n), stored inline, with the productId index), under
   * the collection's lock, or moves the collection's vectors from a 097 shared table.
   */
  private async ensureTable(collection: string, store: PGVectorStore, client: pg.PoolClient, dimensions: number) {
    if (!(await this.hasTable(collection, store, client))) await this.createTable(store, client, dimensions);
  }

  private async createTable(store: PGVectorStore, client: pg.PoolClient, dimensions: number) {
    // Collections share the collection table: its creation takes one database-wide lock.
    await client.query(`SELECT pg_advisory_xact_lock(${lockKey("aisle-vectors:schema")})`);
    await store.ensureTableInDatabase(dimensions);
    await store.ensureCollectionTableInDatabase();
    const table = store.tableName;
    // pgvector stores vectors EXTERNAL: a 512-d vector (2 KB) went to TOAST and every distance
    // fetched it from there; inline (MAIN: out of line only when a row cannot fit a page), the
    // exact scan of 10,000 vectors takes half the time or less.
    await client.query(`ALTER TABLE ${table} ALTER COLUMN embedding SET STORAGE MAIN`);
    await client.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${this.collectionTable}_name_key ON ${this.collectionTable} (name)`,
    );
    await client.query(`CREATE INDEX IF NOT EXISTS ${table}_product_idx ON ${table} ((metadata->>'${PRODUCT_ID}'))`);
  }

  /**
   * Whether the collection's table exists, after moving a 097 collection's vectors into one (under
   * the collection's lock). False for a collection that does not exist.
   */
  private async hasTable(collection: string, store: PGVectorStore, client: pg.PoolClient): Promise<boolean> {
    if (await this.tableExists(store.tableName, client)) return true;
    const legacy = legacyTableFor(collection);
    if (!legacy || !(await this.tableExists(legacy, client))) return false;
    const { rows } = await client.query<{ uuid: string; dimensions: number | null }>(
      `SELECT c.uuid, (SELECT vector_dims(embedding) FROM ${legacy} WHERE collection_id = c.uuid LIMIT 1) AS dimensions
       FROM ${this.collectionTable} c WHERE c.name = $1`,
      [collection],
    );
    if (!rows[0]?.dimensions) return false;
    await this.createTable(store, client, rows[0].dimensions);
    // The ids stay the same (derived from collection and product); the old rows leave the old table.
    await client.query(
      `WITH moved AS (DELETE FROM ${legacy} WHERE collection_id = $1 RETURNING *)
       INSERT INTO ${store.tableName} (id, text, metadata, embedding, collection_id)
       SELECT id, text, metadata, embedding, collection_id FROM moved`,
      [rows[0].uuid],
    );
    await this.indexWhenLarge(store.tableName, client);
    return true;
  }

  /** Moves a 097 collection into its own table; false when there is nothing to move. */
  private adoptLegacy(collection: string): Promise<boolean> {
    if (!legacyTableFor(collection)) return Promise.resolve(false);
    return this.writing(collection, (store, client) => this.hasTable(collection, store, client));
  }

  private async tableExists(table: string, db: pg.PoolClient): Promise<boolean> {
    const { rows } = await db.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table]);
    return rows[0].found;
  }

  /**
   * Builds the table's HNSW index once it holds `hnswThreshold` vectors. Later writes add to the
   * graph; building it over the first rows is faster than adding them one by one.
   */
  private async indexWhenLarge(table: string, client: pg.PoolClient): Promise<void> {
    if (this.indexed.has(table)) return;
    const index = identifier(`${table}_hnsw`);
    const { rows } = await client.query<{ indexed: boolean; count: string }>(
      `SELECT to_regclass($1) IS NOT NULL AS indexed, (SELECT count(*) FROM (SELECT 1 FROM ${table} LIMIT ${this.hnswThreshold}) s) AS count`,
      [index],
    );
    if (!rows[0].indexed) {
      if (Number(rows[0].count) < this.hnswThreshold) return;
      await client.query(`CREATE INDEX ${index} ON ${table} USING hnsw (embedding vector_cosine_ops)`);
      // Without statistics the planner guesses few rows match the collection and sorts a full scan.
      await client.query(`ANALYZE ${table}`);
    }
    this.indexed.set(table, true);
  }

  private guard<T>(operation: string, collection: string | undefined, work: () => Promise<T>): Promise<T> {
    return guarded(this.kind, operation, collection, work);
  }
}
