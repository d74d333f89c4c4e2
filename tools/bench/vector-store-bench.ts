// `npx tsx tools/bench/vector-store-bench.ts [products]`: query latency of the two
// ProductVectorStores for one shop's collection of N (default 10,000) pseudo-random 512-d vectors,
// unrestricted and restricted to ~50 and ~4,000 product ids, and how each restriction strategy that
// LangChain allows compares. Chroma: the local server; pgvector: PGlite (or PGVECTOR_URL), the
// collection's exact scan vs its own HNSW index at several ef_search (recall against the exact scan).
// Results and the choices they led to: docs/decisions/097 and 100.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Chroma } from "@langchain/community/vectorstores/chroma";
import pg from "pg";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { ChromaVectorStore } from "../../app/lib/search/chroma-vector-store.server";
import { productCollectionName } from "../../app/lib/search/collection-name";
import { pseudoVectors } from "../lib/pseudo-vectors";
import { PgvectorVectorStore } from "../../app/lib/search/pgvector-vector-store.server";
import { VectorOnlyEmbeddings } from "../../app/lib/search/vector-only-embeddings";
import type { ProductVectorStore, VectorHit } from "../../app/lib/search/vector-store";
import { startChroma } from "../chroma/chroma-process";
import { freePort } from "../lib/ports";
import { startPgvector } from "../pgvector/pgvector-process";

const PRODUCTS = Number(process.argv[2] ?? 10_000);
const OTHER_SHOPS = Number(process.env.OTHER_SHOPS ?? 2);
const DIMENSIONS = 512;
const K = 10;
const ROUNDS = 15;
const space = { provider: "local", model: "bench-random-512" } as const;

const ids = Array.from({ length: PRODUCTS }, (_, i) => `gid://shopify/Product/${1000 + i}`);
const pick = (count: number) => ids.filter((_, i) => i % Math.floor(PRODUCTS / count) === 0).slice(0, count);
const restrictions: [string, string[] | undefined][] = [
  ["all", undefined],
  ["50 ids", pick(50)],
  ["4000 ids", pick(4000)],
];
const queries = pseudoVectors(ROUNDS, DIMENSIONS, 7);

async function timed(run: (query: number[]) => Promise<VectorHit[]>) {
  await run(queries[0]); // warm-up (handles, plans)
  const times: number[] = [];
  let results: VectorHit[][] = [];
  for (const query of queries) {
    const started = performance.now();
    results.push(await run(query));
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const hits = Math.min(...results.map((r) => r.length));
  const out = { p50: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], hits, results };
  results = [];
  return out;
}

const recall = (got: VectorHit[][], exact: VectorHit[][]) => {
  let found = 0;
  let total = 0;
  exact.forEach((expected, i) => {
    const mine = new Set(got[i].map((hit) => hit.id));
    found += expected.filter((hit) => mine.has(hit.id)).length;
    total += expected.length;
  });
  return total ? found / total : 1;
};

const rows: string[] = [];
function report(store: string, strategy: string, restriction: string, r: Awaited<ReturnType<typeof timed>>, rec = 1) {
  const line = `| ${store} | ${strategy} | ${restriction} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.hits} | ${(rec * 100).toFixed(0)}% |`;
  rows.push(line);
  console.log(line);
}

async function fill(store: ProductVectorStore, collection: string, seed: number) {
  const vectors = pseudoVectors(PRODUCTS, DIMENSIONS, seed);
  for (let start = 0; start < PRODUCTS; start += 1000) {
    await store.upsert(
      collection,
      vectors.slice(start, start + 1000).map((vector, i) => ({ id: ids[start + i], vector })),
    );
  }
}

async function benchChroma(url: string) {
  const client = createChromaClient({ CHROMA_URL: url });
  const store = new ChromaVectorStore({ client });
  const collection = productCollectionName("bench-chroma.myshopify.com", space, 1);
  await store.dropCollection(collection);
  let started = performance.now();
  await fill(store, collection, 1);
  console.log(`chroma: wrote ${PRODUCTS} vectors in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const handle = await client.getCollection({ name: collection });
  const langchain = new Chroma(new VectorOnlyEmbeddings("chroma"), { index: client, collectionName: collection });
  langchain.collection = handle;
  for (const [label, allowed] of restrictions) {
    const exact = await timed((q) => store.query(collection, q, K, allowed));
    report("chroma", "LangChain filter productId $in (chosen)", label, exact);
    if (!allowed) continue;
    const allowedSet = new Set(allowed);
    // Over-fetch without a filter and keep the allowed ones: LangChain's other option.
    const fetchK = Math.min(PRODUCTS, Math.ceil((K * PRODUCTS) / allowed.length) * 3);
    const over = await timed(async (q) =>
      (await langchain.similaritySearchVectorWithScore(q, fetchK))
        .filter(([doc]) => allowedSet.has(String(doc.id)))
        .slice(0, K)
        .map(([doc, distance]) => ({ id: String(doc.id), distance })),
    );
    report("chroma", `over-fetch k=${fetchK}, filter in JS`, label, over, recall(over.results, exact.results));
    if (allowed.length <= 100) {
      const or = await timed(async (q) =>
        (
          await langchain.similaritySearchVectorWithScore(q, K, {
            $or: allowed.map((id) => ({ productId: { $eq: id } })),
          })
        ).map(([doc, distance]) => ({ id: String(doc.id), distance })),
      );
      report("chroma", "LangChain filter $or of $eq", label, or, recall(or.results, exact.results));
    }
    // Outside LangChain, for reference: the Chroma client's own `ids` restriction.
    const byIds = await timed(async (q) => {
      const r = await handle.query({
        queryEmbeddings: [q],
        nResults: Math.min(K, allowed.length),
        ids: allowed,
        include: ["distances"],
      });
      return r.ids[0].map((id, i) => ({ id, distance: r.distances[0][i] ?? 1 }));
    });
    report("chroma", "chromadb query ids (not LangChain)", label, byIds, recall(byIds.results, exact.results));
  }
  started = performance.now();
  await store.dropCollection(collection);
  console.log(`chroma: dropped in ${(performance.now() - started).toFixed(0)} ms`);
}

async function benchPgvector(url: string) {
  const pool = new pg.Pool({ connectionString: url });
  // Filled without an HNSW index (threshold above the size): the exact scan is the reference.
  const exactStore = new PgvectorVectorStore({ connection: { pool }, hnswThreshold: PRODUCTS + 1 });
  const collection = productCollectionName("bench-pg.myshopify.com", space, 1);
  let started = performance.now();
  // Other shops' collections are other tables now: they cost the measured one nothing, but are
  // written as before so the figures compare with 097's.
  for (let shop = 0; shop < OTHER_SHOPS; shop++) {
    await fill(exactStore, productCollectionName(`bench-other-${shop}.myshopify.com`, space, 1), 100 + shop);
  }
  await fill(exactStore, collection, 1);
  console.log(
    `pgvector: wrote ${(OTHER_SHOPS + 1) * PRODUCTS} vectors (${OTHER_SHOPS + 1} shops) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const exactResults = new Map<string, VectorHit[][]>();
  for (const [label, allowed] of restrictions) {
    const exact = await timed((q) => exactStore.query(collection, q, K, allowed));
    exactResults.set(label, exact.results);
    report("pgvector", "exact scan (no HNSW yet)", label, exact);
  }
  // The store's own path to an index: a write once the collection is large enough builds it.
  started = performance.now();
  const first = pseudoVectors(PRODUCTS, DIMENSIONS, 1)[0];
  await new PgvectorVectorStore({ connection: { pool }, hnswThreshold: 1 }).upsert(collection, [
    { id: ids[0], vector: first },
  ]);
  console.log(
    `pgvector: HNSW index of ${PRODUCTS} vectors built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const efSearch of [40, 100, 200, 400]) {
    // Its own pool: hnsw.ef_search is set on each new connection.
    const store = new PgvectorVectorStore({ connection: { url }, efSearch });
    for (const [label, allowed] of restrictions) {
      const r = await timed((q) => store.query(collection, q, K, allowed));
      const strategy = allowed ? "restricted: exact (index scans off)" : `HNSW, ef_search ${efSearch}`;
      report("pgvector", strategy, label, r, recall(r.results, exactResults.get(label)!));
    }
    await store.close();
  }
  started = performance.now();
  await exactStore.dropCollection(collection);
  console.log(`pgvector: dropped a ${PRODUCTS}-vector collection in ${(performance.now() - started).toFixed(0)} ms`);
  await pool.end();
}

const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-vector-bench-"));
const chroma = process.env.CHROMA_URL
  ? undefined
  : await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
const pgvector = process.env.PGVECTOR_URL ? undefined : await startPgvector({ port: await freePort(), quiet: true });
try {
  console.log(`| store | strategy | restriction | p50 ms | p95 ms | hits (k=${K}) | recall vs chosen |`);
  console.log("|---|---|---|---|---|---|---|");
  if (!process.env.ONLY || process.env.ONLY === "chroma") await benchChroma(process.env.CHROMA_URL ?? chroma!.url);
  if (!process.env.ONLY || process.env.ONLY === "pgvector")
    await benchPgvector(process.env.PGVECTOR_URL ?? pgvector!.url);
  console.log(`\n${rows.join("\n")}`);
} finally {
  await Promise.all([chroma?.stop(), pgvector?.stop()]);
  rmSync(workDir, { recursive: true, force: true });
}
