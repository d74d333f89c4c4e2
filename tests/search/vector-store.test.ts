// One contract for both ProductVectorStore implementations, against the real servers of the test
// run: Chroma (global setup) and pgvector (PGlite, or TEST_PGVECTOR_URL).
import { randomUUID } from "node:crypto";
import { pseudoVectors } from "../../tools/lib/pseudo-vectors";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { ChromaVectorStore } from "../../app/lib/search/chroma-vector-store.server";
import { productCollectionName, shopCollectionPrefix } from "../../app/lib/search/collection-name";
import { PGVectorStore } from "@langchain/community/vectorstores/pgvector";
import pg from "pg";
import { ProductVectorTable } from "../../app/lib/search/pgvector-product-table.server";
import { pgvectorRowId, PgvectorVectorStore } from "../../app/lib/search/pgvector-vector-store.server";
import { VectorOnlyEmbeddings } from "../../app/lib/search/vector-only-embeddings";
import type { ProductVectorStore, VectorRecord } from "../../app/lib/search/vector-store";
import { freePort } from "../../tools/lib/ports";

const chromaStore = (url: string) =>
  new ChromaVectorStore({ client: createChromaClient({ CHROMA_URL: url }), cacheSize: 4, batchSize: 50 });
const pgvectorStore = (url: string) =>
  new PgvectorVectorStore({ connection: { url }, batchSize: 50, hnswThreshold: 100 });

const implementations: [string, () => string, (url: string) => ProductVectorStore][] = [
  ["chroma", () => inject("chromaUrl"), chromaStore],
  ["pgvector", () => inject("pgvectorUrl"), pgvectorStore],
];

const small = { provider: "local", model: "test-axes-8" } as const;
const large = { provider: "local", model: "test-random-512" } as const;

/** Unit vector along axis `i` of 8 dimensions, optionally with a bit of axis `j`. */
function axis(i: number, j?: number, amount = 0): number[] {
  const vector = new Array<number>(8).fill(0);
  vector[i] = 1;
  if (j !== undefined) vector[j] = amount;
  return vector;
}

const record = (id: string, vector: number[]): VectorRecord => ({ id, vector });

/** The embeddings table of a first-generation pgvector collection (decision 100). */
const tableOf = (collection: string) =>
  `aisle_vectors_${/^aisle-([0-9a-f]{16})-([0-9a-f]{8})-g1$/.exec(collection)!.slice(1).join("_")}_g1`;

describe.each(implementations)("ProductVectorStore on %s", (_kind, url, create) => {
  const store = create(url());
  const shop = () => `vs-${randomUUID().slice(0, 8)}.myshopify.com`;
  afterAll(() => store.close());

  it("returns the nearest vectors first, by cosine distance", async () => {
    const collection = productCollectionName(shop(), small, 1);
    await store.upsert(collection, [
      record("far", axis(1)),
      record("same", axis(0)),
      record(
        "opposite",
        axis(0, undefined, 0).map((value) => -value),
      ),
      record("near", axis(0, 1, 0.5)),
      // Cosine ignores length: three times the query vector is as near as the query itself.
      record(
        "scaled",
        axis(0).map((value) => value * 3),
      ),
    ]);
    const hits = await store.query(collection, axis(0), 5);
    expect(hits.map((hit) => hit.id).slice(2)).toEqual(["near", "far", "opposite"]);
    expect(
      hits
        .slice(0, 2)
        .map((hit) => hit.id)
        .sort(),
    ).toEqual(["same", "scaled"]);
    const distance = Object.fromEntries(hits.map((hit) => [hit.id, hit.distance]));
    expect(distance.same).toBeCloseTo(0, 5);
    expect(distance.scaled).toBeCloseTo(0, 5);
    expect(distance.near).toBeCloseTo(1 - 1 / Math.sqrt(1.25), 5);
    expect(distance.far).toBeCloseTo(1, 5);
    expect(distance.opposite).toBeCloseTo(2, 5);
    expect(await store.query(collection, axis(0), 2)).toHaveLength(2);
  });

  it("replaces a record on upsert and keeps one row per id", async () => {
    const collection = productCollectionName(shop(), small, 1);
    await store.upsert(collection, [record("a", axis(0)), record("b", axis(1))]);
    await store.upsert(collection, [{ id: "a", vector: axis(2) }]);
    expect(await store.count(collection)).toBe(2);
    expect((await store.query(collection, axis(2), 1))[0]).toMatchObject({ id: "a" });
    expect((await store.query(collection, axis(2), 1))[0].distance).toBeCloseTo(0, 5);
    await expect(store.upsert(collection, [record("x", axis(0)), record("x", axis(1))])).rejects.toThrow(/duplicate/);
  });

  it("restricts a query to the given ids; an empty list gives no hits", async () => {
    const collection = productCollectionName(shop(), small, 1);
    await store.upsert(collection, [record("a", axis(0)), record("b", axis(0, 1, 0.2)), record("c", axis(1))]);
    expect((await store.query(collection, axis(0), 5, ["c", "b"])).map((hit) => hit.id)).toEqual(["b", "c"]);
    expect((await store.query(collection, axis(0), 1, ["c", "b"])).map((hit) => hit.id)).toEqual(["b"]);
    expect(await store.query(collection, axis(0), 5, ["not-there"])).toEqual([]);
    expect(await store.query(collection, axis(0), 5, [])).toEqual([]);
  });

  it("gives the stored vectors of known ids; unknown ids and a missing collection give none", async () => {
    const collection = productCollectionName(shop(), large, 1);
    const [a, b] = pseudoVectors(2, 512, 31);
    await store.upsert(collection, [record("a", a), record("b", b)]);
    await store.upsert(collection, [{ id: "b", vector: a }]);
    const found = await store.vectors(collection, ["a", "b", "a", "not-there"]);
    expect([...found.keys()].sort()).toEqual(["a", "b"]);
    // Stored as 32-bit floats by both servers.
    for (const id of ["a", "b"]) found.get(id)!.forEach((value, i) => expect(value).toBeCloseTo(a[i], 6));
    expect(await store.vectors(collection, [])).toEqual(new Map());
    const missing = productCollectionName(shop(), large, 1);
    expect(await store.vectors(missing, ["a"])).toEqual(new Map());
    expect(await store.listCollections(missing)).toEqual([]);
  });

  it("keeps shops and generations apart", async () => {
    const one = shop();
    const other = shop();
    const first = productCollectionName(one, small, 1);
    const second = productCollectionName(one, small, 2);
    const others = productCollectionName(other, small, 1);
    // The same product id in three collections: each keeps its own vector.
    await store.upsert(first, [record("p", axis(0)), record("only-first", axis(0, 1, 0.1))]);
    await store.upsert(second, [record("p", axis(1))]);
    await store.upsert(others, [record("p", axis(2)), record("only-other", axis(0))]);
    expect((await store.query(first, axis(0), 10)).map((hit) => hit.id)).toEqual(["p", "only-first"]);
    expect(await store.query(second, axis(0), 10)).toEqual([{ id: "p", distance: expect.closeTo(1, 5) }]);
    expect((await store.query(others, axis(0), 10)).map((hit) => hit.id)).toEqual(["only-other", "p"]);
    expect(await store.query(others, axis(0), 10, ["only-first"])).toEqual([]);
    await store.remove(second, ["p"]);
    expect(await store.count(first)).toBe(2);
    expect(await store.count(others)).toBe(2);
    expect(await store.listCollections(shopCollectionPrefix(one))).toEqual([first, second].sort());
    await store.dropCollection(first);
    expect(await store.listIds(others)).toEqual(expect.arrayContaining(["p", "only-other"]));
  });

  it("removes records, ignoring unknown ids", async () => {
    const collection = productCollectionName(shop(), small, 1);
    await store.upsert(collection, [record("a", axis(0)), record("b", axis(1)), record("c", axis(2))]);
    await store.remove(collection, ["b", "unknown"]);
    expect((await store.listIds(collection)).sort()).toEqual(["a", "c"]);
    expect((await store.query(collection, axis(1), 5)).map((hit) => hit.id)).not.toContain("b");
    await store.remove(productCollectionName(shop(), small, 1), ["a"]);
  });

  it("counts and lists ids across write batches", async () => {
    const collection = productCollectionName(shop(), small, 1);
    const records = Array.from({ length: 130 }, (_, i) => record(`p${i}`, axis(i % 8, (i + 1) % 8, i / 130)));
    await store.upsert(collection, records);
    expect(await store.count(collection)).toBe(130);
    expect((await store.listIds(collection)).sort()).toEqual(records.map((r) => r.id).sort());
  });

  it("drops a collection with its vectors; lists collections by prefix", async () => {
    const name = shop();
    const first = productCollectionName(name, small, 1);
    const second = productCollectionName(name, large, 2);
    await store.upsert(first, [record("a", axis(0))]);
    await store.upsert(second, [record("a", pseudoVectors(1, 512, 1)[0])]);
    expect(await store.listCollections(shopCollectionPrefix(name))).toEqual([first, second].sort());
    await store.dropCollection(first);
    await store.dropCollection(first);
    expect(await store.listCollections(shopCollectionPrefix(name))).toEqual([second]);
    expect(await store.count(first)).toBe(0);
    expect(await store.query(first, axis(0), 3)).toEqual([]);
    // Recreated after a drop: empty, then usable.
    await store.upsert(first, [record("b", axis(1))]);
    expect(await store.listIds(first)).toEqual(["b"]);
  });

  it("answers a missing collection with nothing and does not create it", async () => {
    const name = shop();
    const missing = productCollectionName(name, small, 1);
    expect(await store.query(missing, axis(0), 3)).toEqual([]);
    expect(await store.query(missing, axis(0), 3, ["a"])).toEqual([]);
    expect(await store.count(missing)).toBe(0);
    expect(await store.listIds(missing)).toEqual([]);
    await store.remove(missing, ["a"]);
    expect(await store.listCollections(shopCollectionPrefix(name))).toEqual([]);
  });

  it("sees another instance's drop and re-creation of a collection", async () => {
    const other = create(url());
    const collection = productCollectionName(shop(), small, 1);
    await store.upsert(collection, [record("a", axis(0))]);
    expect(await store.count(collection)).toBe(1);
    await other.dropCollection(collection);
    expect(await store.query(collection, axis(0), 3)).toEqual([]);
    await other.upsert(collection, [record("b", axis(1))]);
    expect((await store.query(collection, axis(0), 3)).map((hit) => hit.id)).toEqual(["b"]);
    await store.upsert(collection, [record("c", axis(2))]);
    expect((await other.listIds(collection)).sort()).toEqual(["b", "c"]);
    await other.close();
  });

  it("takes concurrent first writes to a new collection from two instances", async () => {
    const other = create(url());
    const collection = productCollectionName(shop(), small, 1);
    await Promise.all([
      store.upsert(collection, [record("a", axis(0)), record("b", axis(1))]),
      other.upsert(collection, [record("c", axis(2)), record("d", axis(3))]),
    ]);
    expect((await store.listIds(collection)).sort()).toEqual(["a", "b", "c", "d"]);
    expect(await store.listCollections(collection)).toEqual([collection]);
    await other.close();
  });

  it("finds a 512-dimension vector among a few hundred, with and without restriction", async () => {
    const collection = productCollectionName(shop(), large, 1);
    const vectors = pseudoVectors(300, 512, 42);
    await store.upsert(
      collection,
      vectors.map((vector, i) => record(`p${i}`, vector)),
    );
    const target = vectors[123].map((value, i) => value + (i % 2 ? 0.01 : -0.01));
    expect((await store.query(collection, target, 3))[0].id).toBe("p123");
    const allowed = Array.from({ length: 150 }, (_, i) => `p${i * 2 + 1}`);
    const hits = await store.query(collection, target, 10, allowed);
    expect(hits).toHaveLength(10);
    expect(hits.every((hit) => allowed.includes(hit.id))).toBe(true);
    expect(hits.map((hit) => hit.distance)).toEqual([...hits.map((hit) => hit.distance)].sort((a, b) => a - b));
  });

  it("returns the exact nearest neighbours of a brute-force scan, with and without restriction", async () => {
    // Random 512-d vectors are the hard case for an approximate (HNSW) index: with Chroma's default
    // search breadth (ef 100) a query for the nearest 50 missed several of them.
    const collection = productCollectionName(shop(), large, 1);
    const vectors = pseudoVectors(600, 512, 7);
    await store.upsert(
      collection,
      vectors.map((vector, i) => record(`p${i}`, vector)),
    );
    const query = pseudoVectors(1, 512, 8)[0];
    const cosineDistance = (vector: number[]) => 1 - vector.reduce((sum, value, i) => sum + value * query[i], 0);
    const nearest = (ids: number[], k: number) =>
      ids
        .map((i) => ({ id: `p${i}`, distance: cosineDistance(vectors[i]) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, k)
        .map((hit) => hit.id)
        .sort();
    const all = vectors.map((_, i) => i);
    const found = await store.query(collection, query, 50);
    expect(found.map((hit) => hit.id).sort()).toEqual(nearest(all, 50));
    const allowed = all.filter((i) => i % 3 === 0);
    const restricted = await store.query(
      collection,
      query,
      50,
      allowed.map((i) => `p${i}`),
    );
    expect(restricted.map((hit) => hit.id).sort()).toEqual(nearest(allowed, 50));
  });

  it("returns as many neighbours as asked, more than the graph walk keeps", async () => {
    // The filtered queries' pool asks for 8× the candidates (400): more than pgvector's ef_search
    // (200), which caps a plain graph walk, and Chroma's.
    const collection = productCollectionName(shop(), large, 1);
    const vectors = pseudoVectors(900, 512, 11);
    await store.upsert(
      collection,
      vectors.map((vector, i) => record(`p${i}`, vector)),
    );
    const hits = await store.query(collection, pseudoVectors(1, 512, 12)[0], 450);
    expect(hits).toHaveLength(450);
    expect(new Set(hits.map((hit) => hit.id)).size).toBe(450);
    expect(hits.map((hit) => hit.distance)).toEqual([...hits.map((hit) => hit.distance)].sort((a, b) => a - b));
  });
});

describe.each(implementations)("ProductVectorStore on %s, server down", (kind, _url, create) => {
  it("fails with a clear error instead of hanging", async () => {
    const port = await freePort();
    const url = kind === "chroma" ? `http://127.0.0.1:${port}` : `postgres://postgres@127.0.0.1:${port}/postgres`;
    const store = create(url);
    const collection = productCollectionName("down.myshopify.com", small, 1);
    const started = Date.now();
    await expect(store.query(collection, axis(0), 3)).rejects.toThrow(
      new RegExp(`${kind} vector store: query on ${collection} failed: .*(connect|ECONNREFUSED)`, "i"),
    );
    await expect(store.upsert(collection, [record("a", axis(0))])).rejects.toThrow(/vector store: upsert/);
    await expect(store.vectors(collection, ["a"])).rejects.toThrow(/vector store: vectors/);
    expect(Date.now() - started).toBeLessThan(15_000);
    await store.close();
  });
});

describe("pgvector vector store, reads", () => {
  it("gives LangChain's hits and distances without bringing the vectors back", async () => {
    const url = inject("pgvectorUrl");
    const collection = productCollectionName(`vs-${randomUUID().slice(0, 8)}.myshopify.com`, large, 1);
    const store = new PgvectorVectorStore({ connection: { url }, batchSize: 100, hnswThreshold: 100 });
    const vectors = pseudoVectors(300, 512, 21);
    await store.upsert(
      collection,
      vectors.map((vector, i) => record(`p${i}`, vector)),
    );
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    // Exact scans for both. Transaction-local: PGlite serves every connection from one session.
    const client = await pool.connect();
    await client.query("BEGIN; SET LOCAL enable_indexscan = off");
    const tableName = tableOf(collection);
    // The columns of each search's answer, as the database sent them.
    const columns: string[][] = [];
    const recording = {
      query: async (...args: unknown[]) => {
        const result = (await (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(
          ...args,
        )) as pg.QueryResult;
        if (/ORDER BY/i.test(String(args[0]))) columns.push(result.fields.map((field) => field.name));
        return result;
      },
    } as unknown as pg.Pool;
    const options = {
      pool: recording,
      tableName,
      collectionTableName: "aisle_vector_collections",
      collectionName: collection,
    };
    const langchain = new PGVectorStore(new VectorOnlyEmbeddings("pgvector"), {
      ...options,
      distanceStrategy: "cosine",
    });
    const narrow = new ProductVectorTable(new VectorOnlyEmbeddings("pgvector"), {
      ...options,
      distanceStrategy: "cosine",
    });
    const query = pseudoVectors(1, 512, 22)[0];
    const allowed = { productId: { in: Array.from({ length: 100 }, (_, i) => `p${i * 3}`) } };
    for (const filter of [undefined, allowed]) {
      const expected = await langchain.similaritySearchVectorWithScore(query, 40, filter);
      const got = await narrow.similaritySearchVectorWithScore(query, 40, filter);
      expect(got.map(([doc, distance]) => [doc.metadata.productId, distance.toFixed(6)])).toEqual(
        expected.map(([doc, distance]) => [doc.metadata.productId, distance.toFixed(6)]),
      );
    }
    // LangChain's answers carry each row's 512 floats (as text, then dropped); the narrow read's do not.
    expect(columns.map((names) => names.includes("embedding"))).toEqual([true, false, true, false]);
    await client.query("COMMIT");
    client.release();
    await pool.end();
    await store.dropCollection(collection);
    await store.close();
  });

  it("walks the graph past ef_search when asked for more neighbours than it keeps", async () => {
    // At 3,000 vectors the planner walks the graph for 60 neighbours; ef_search 40 would stop at 40.
    const store = new PgvectorVectorStore({
      connection: { url: inject("pgvectorUrl") },
      batchSize: 500,
      hnswThreshold: 3000,
      efSearch: 40,
    });
    const collection = productCollectionName(`vs-${randomUUID().slice(0, 8)}.myshopify.com`, large, 1);
    const vectors = pseudoVectors(3000, 512, 31);
    await store.upsert(
      collection,
      vectors.map((vector, i) => record(`p${i}`, vector)),
    );
    const query = pseudoVectors(1, 512, 32)[0];
    const hits = await store.query(collection, query, 60);
    expect(hits).toHaveLength(60);
    expect(hits.map((hit) => hit.distance)).toEqual([...hits.map((hit) => hit.distance)].sort((a, b) => a - b));
    const pool = new pg.Pool({ connectionString: inject("pgvectorUrl"), max: 1 });
    const client = await pool.connect();
    await client.query("BEGIN; SET LOCAL hnsw.ef_search = 40");
    const plan = await client.query(
      `EXPLAIN SELECT id FROM ${tableOf(collection)} ORDER BY embedding <=> $1 LIMIT 60`,
      [`[${query.join(",")}]`],
    );
    await client.query("COMMIT");
    client.release();
    await pool.end();
    expect(plan.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n")).toMatch(/_hnsw/);
    await store.dropCollection(collection);
    await store.close();
  });
});

describe("pgvector vector store, collections of the 097 layout", () => {
  it("moves a collection from the shared table of its embedding space into its own table on first use", async () => {
    const url = inject("pgvectorUrl");
    const space = { provider: "local", model: `test-legacy-${randomUUID().slice(0, 8)}` } as const;
    const collection = productCollectionName(`vs-${randomUUID().slice(0, 8)}.myshopify.com`, space, 1);
    const pool = new pg.Pool({ connectionString: url });
    // What 097 wrote: one table per embedding space, rows scoped by the collection's uuid.
    const legacyTable = `aisle_vectors_${/-([0-9a-f]{8})-g1$/.exec(collection)![1]}`;
    const legacy = new PGVectorStore(new VectorOnlyEmbeddings("pgvector"), {
      pool,
      tableName: legacyTable,
      collectionTableName: "aisle_vector_collections",
      collectionName: collection,
      distanceStrategy: "cosine",
    });
    await legacy.ensureTableInDatabase(8);
    await legacy.ensureCollectionTableInDatabase();
    await legacy.addVectors(
      [axis(0), axis(1), axis(2)],
      ["a", "b", "c"].map((id) => ({ pageContent: "", metadata: { productId: id } })),
      { ids: ["a", "b", "c"].map((id) => pgvectorRowId(collection, id)) },
    );
    const store = new PgvectorVectorStore({ connection: { url } });

    expect((await store.query(collection, axis(0, 1, 0.5), 2)).map((hit) => hit.id)).toEqual(["a", "b"]);
    await store.upsert(collection, [record("a", axis(2))]);
    expect((await store.listIds(collection)).sort()).toEqual(["a", "b", "c"]);
    expect((await store.query(collection, axis(2), 2)).map((hit) => hit.id).sort()).toEqual(["a", "c"]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${legacyTable}`);
    expect(rows[0].n).toBe(0);
    await store.dropCollection(collection);
    expect(await store.count(collection)).toBe(0);
    await store.close();
    await pool.end();
  });
});
