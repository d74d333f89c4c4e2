// `npm run bench:search [-- 10000 100000] [--backend sqlite-chroma|postgres-pgvector|all] [--keep DIR] [--trace] [--no-feedback]`: hybrid
// retrieval latency (p50/p95/p99, LLM excluded) for shops of N products on the real stack of each
// back end (database full-text search and filters, Chroma or pgvector, the local embedder for
// every query). Products come from the demo catalog generator
// (tools/emulator/catalog) scaled up. Corpus vectors are pseudo-random 512-d unit vectors written
// through the real product index: embedding 100k texts with USE-lite takes hours on 2 cores,
// and HNSW search cost depends on count and dimension, not on what the vectors mean. Queries are
// embedded by the real local model inside the timed section. `--trace`: afterwards, each query once
// more with every store call timed (search-trace.ts), slowest first. Results: docs/benchmarks.md.
import os from "node:os";
import { Embeddings } from "@langchain/core/embeddings";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { demoProducts } from "../emulator/catalog/demo-catalog";
import { toProduct } from "../eval/demo-catalog-products";
import { backendsFromArgs, describeAppDatabase, withSearchStack } from "../eval/search-stack";
import { percentile, pseudoVector } from "./bench-stack";
import { formatTrace, tracedIndex, type TracedCall } from "./search-trace";

const sizes = process.argv
  .slice(2)
  .filter((arg, i, all) => all[i - 1] !== "--backend" && all[i - 1] !== "--keep")
  .map(Number)
  .filter(Boolean);
/** `--keep DIR`: the index stays in DIR after the run, and a later run with the same DIR measures it again. */
const keepIndex = process.argv.indexOf("--keep");
const KEEP_DIR = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const TRACE = process.argv.includes("--trace");
/** `--no-feedback`: hybrid without pseudo-relevance feedback (decision 146), to measure what it costs. */
const FEEDBACK = process.argv.includes("--no-feedback") ? { relevanceFeedback: null } : {};
const SIZES = sizes.length ? sizes : [10_000, 100_000];
const QUERY_ROUNDS = 3;

const QUERIES = [
  "rain jacket",
  "waterproof hiking boots",
  "northpeak down jacket",
  "tent under $300",
  "cheapest headlamp in stock",
  "glacier blue rain jacket size M",
  "something to keep me dry on a rainy commute",
  "a bag for a weekend trip",
  "keep my coffee hot on the trail",
  "sleeping bag between 100 and 200",
  "trail running shoes under 120",
  "gift under $30",
  "merino beanie",
  "4006381000291",
  "alder trekking pack",
  "stay warm during cold belays",
  "fjordline",
  "2 person backpacking tent",
  "camp stove",
  "trekking poles for steep descents",
];

/** Deterministic pseudo-random unit vectors for documents; the real model for queries. */
class BenchEmbeddings extends Embeddings {
  constructor(private readonly real: Embeddings) {
    super({});
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => pseudoVector(text, 512));
  }
  embedQuery(text: string): Promise<number[]> {
    return this.real.embedQuery(text);
  }
}

for (const backend of backendsFromArgs())
  await withSearchStack(
    {
      backend,
      env: { EMBEDDINGS_PROVIDER: "local" },
      keepDir: KEEP_DIR,
      embeddings: (env) => {
        const local = createEmbeddings(env);
        return { descriptor: local.descriptor, embeddings: new BenchEmbeddings(local.embeddings) };
      },
    },
    async (stack) => {
      const { index } = stack;
      console.log(`\n${backend}: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model})`);
      console.log(
        "| products | index write | first search | heap after it | hybrid p50 | p95 | p99 | cached p50 | query embedding p50 | lexical-only p50 | vector-only p50 |",
      );
      console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

      for (const size of SIZES) {
        const shop = `bench-${size}.myshopify.com`;
        let written = 0;
        const started = Date.now();
        const generated = demoProducts(size);
        const reused = (await index.count(shop)) === size;
        if (reused) console.log(`${size}: the kept index of ${size} products is measured again`);
        for (let i = 0; !reused && i < generated.length; i += 500) {
          const documents = generated.slice(i, i + 500).map((p, j) => buildProductDocument(toProduct(p, i + j)));
          await index.upsert(shop, documents);
          written += documents.length;
          process.stderr.write(`\r${size}: written ${written}`);
        }
        const writeSeconds = (Date.now() - started) / 1000;
        process.stderr.write("\n");

        const database = await describeAppDatabase(stack);
        if (database) console.log(`${size}: ${database}`);
        const search = new ProductSearch({ index, cacheSize: 0, ...FEEDBACK });
        const loadStarted = Date.now();
        await search.search({ shop, query: "warm up", limit: 10 }); // cold: vocabulary, connections
        const loadSeconds = (Date.now() - loadStarted) / 1000;
        global.gc?.();
        const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
        for (const query of QUERIES) await search.search({ shop, query, limit: 10 }); // warm-up

        const time = async (fn: () => Promise<unknown>, into: number[]) => {
          const t = performance.now();
          await fn();
          into.push(performance.now() - t);
        };
        const timings: number[] = [];
        const perQuery = new Map<string, number[]>();
        const embedTimings: number[] = [];
        const lexicalTimings: number[] = [];
        const vectorTimings: number[] = [];
        for (let round = 0; round < QUERY_ROUNDS; round++) {
          for (const query of QUERIES) {
            await time(() => search.search({ shop, query, limit: 10 }), timings);
            perQuery.set(query, [...(perQuery.get(query) ?? []), timings[timings.length - 1]]);
            await time(() => index.embedQuery(query), embedTimings);
            await time(() => search.search({ shop, query, limit: 10, mode: "lexical" }), lexicalTimings);
            await time(() => search.search({ shop, query, limit: 10, mode: "vector" }), vectorTimings);
          }
        }
        for (const list of [embedTimings, lexicalTimings, vectorTimings]) list.sort((a, b) => a - b);
        timings.sort((a, b) => a - b);
        const cached = new ProductSearch({ index, cacheSize: 200, ...FEEDBACK });
        for (const query of QUERIES) await cached.search({ shop, query, limit: 10 });
        const cachedTimings: number[] = [];
        for (const query of QUERIES) {
          const t = performance.now();
          await cached.search({ shop, query, limit: 10 });
          cachedTimings.push(performance.now() - t);
        }
        cachedTimings.sort((a, b) => a - b);
        const ms = (n: number) => `${n.toFixed(1)} ms`;
        console.log(
          `| ${size.toLocaleString("en")} | ${writeSeconds.toFixed(0)} s | ${loadSeconds.toFixed(1)} s | ${heapMb.toFixed(0)} MB | ${ms(percentile(timings, 50))} | ${ms(percentile(timings, 95))} | ${ms(percentile(timings, 99))} | ${ms(percentile(cachedTimings, 50))} | ${ms(percentile(embedTimings, 50))} | ${ms(percentile(lexicalTimings, 50))} | ${ms(percentile(vectorTimings, 50))} |`,
        );
        const slowest = [...perQuery]
          .map(([query, list]) => [query, list.sort((a, b) => a - b)[Math.floor(list.length / 2)]] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4);
        console.log(
          `  slowest queries (median of ${QUERY_ROUNDS}): ${slowest.map(([q, t]) => `"${q}" ${ms(t)}`).join(", ")}`,
        );
        if (TRACE) {
          const traces: { query: string; ms: number; calls: TracedCall[] }[] = [];
          for (const query of QUERIES) {
            const calls: TracedCall[] = [];
            const started = performance.now();
            const traced = new ProductSearch({
              index: tracedIndex(index, calls, () => started),
              cacheSize: 0,
              ...FEEDBACK,
            });
            await traced.search({ shop, query, limit: 10 }); // its vocabulary
            calls.length = 0;
            const t = performance.now();
            await traced.search({ shop, query, limit: 10 });
            traces.push({ query, ms: performance.now() - t, calls });
          }
          for (const { query, ms: total, calls } of traces.sort((a, b) => b.ms - a.ms)) {
            const offset = calls.length ? Math.min(...calls.map((call) => call.start)) : 0;
            console.log(`  "${query}" ${ms(total)}`);
            for (const line of formatTrace(calls.map((call) => ({ ...call, start: call.start - offset })))) {
              console.log(line);
            }
          }
        }
        if (!KEEP_DIR) await index.dropShop(shop);
      }
    },
  );
