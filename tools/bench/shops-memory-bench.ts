// `npm run bench:shops -- [--shops 200] [--products 1000] [--backend sqlite-chroma|postgres-pgvector]`
// Memory of one app process serving many shops: S shops × P demo products are indexed by a child
// process (pseudo-vectors, batches of 500), so the measured process — the one that searches, built
// with createServices like the server — starts clean. It searches once per shop and records its
// RSS after 20 shops and after all of them (after a full GC: the npm script passes --expose-gc).
// Target (the multi-shop issue): under 600 MB after 200 shops, within 10 % of the 20-shop figure.
// Results and command lines: docs/benchmarks.md.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isSearchable } from "../../app/lib/catalog/product";
import { DEMO_SEED } from "../emulator/catalog/demo-catalog";
import {
  backendArg,
  BENCH_QUERIES,
  createBenchServices,
  demoCatalogProducts,
  indexCatalog,
  machine,
  mb,
  memory,
  ms,
  numberArg,
  percentile,
  startBenchStack,
} from "./bench-stack";

const SHOPS = numberArg("shops", 200);
const PRODUCTS = numberArg("products", 1_000);
const CHECKPOINT = Math.min(20, SHOPS);
const TARGET_MB = 600;
const TARGET_GROWTH = 0.1;
/** Where the child gets the stack's environment (database, vector store) from. */
const STACK_ENV_VARIABLE = "AISLE_BENCH_STACK_ENV";

const shopDomain = (i: number) => `shop-${String(i).padStart(3, "0")}.myshopify.com`;

/** The child: writes every shop's catalog, then exits (its memory is not what is measured). */
async function populate() {
  const { services } = await createBenchServices(JSON.parse(process.env[STACK_ENV_VARIABLE]!));
  const started = performance.now();
  for (let s = 0; s < SHOPS; s++) {
    // A different catalog per shop (another generator seed): shops do not share vocabulary exactly.
    const products = demoCatalogProducts(PRODUCTS, DEMO_SEED + s).filter(isSearchable);
    await indexCatalog(services, shopDomain(s), products);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\rindexed ${s + 1}/${SHOPS} shops (${seconds.toFixed(0)} s)`);
  }
  process.stderr.write("\n");
  await services.prisma.$disconnect();
}

async function populateInChild(stackEnv: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    env: { ...process.env, [STACK_ENV_VARIABLE]: JSON.stringify(stackEnv) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`indexing process exited with ${code}`);
  return (performance.now() - started) / 1000;
}

async function main() {
  const backend = backendArg();
  const stack = await startBenchStack(backend, "shops-bench");
  const indexSeconds = await populateInChild(stack.env);

  // The measured process from here on: an app process that has loaded the query model.
  const { services } = await createBenchServices(stack.env);
  const baseline = memory();
  const latencies: number[] = [];
  let afterCheckpoint = baseline;
  /** RSS every CHECKPOINT shops: whether growth levels off (bounded caches) or goes on (per shop). */
  const series: string[] = [];
  for (let s = 0; s < SHOPS; s++) {
    const started = performance.now();
    await services.productSearch.search({
      shop: shopDomain(s),
      query: BENCH_QUERIES[s % BENCH_QUERIES.length],
      limit: 10,
    });
    latencies.push(performance.now() - started);
    if ((s + 1) % CHECKPOINT === 0) {
      const sample = memory();
      if (s + 1 === CHECKPOINT) afterCheckpoint = sample;
      series.push(`${s + 1}: ${mb(sample.rss)}`);
    }
    process.stderr.write(`\rsearched ${s + 1}/${SHOPS} shops`);
  }
  process.stderr.write("\n");
  const afterAll = memory();
  const growth = afterAll.rss / afterCheckpoint.rss - 1;
  const pass = afterAll.rss < TARGET_MB * 2 ** 20 && growth <= TARGET_GROWTH;

  console.log(`# shops memory benchmark — ${backend}, ${machine()}`);
  console.log("");
  console.log(
    `${SHOPS} shops × ${PRODUCTS.toLocaleString("en")} demo products (searchable ones indexed, pseudo-vectors) written by a child process in ${indexSeconds.toFixed(0)} s; ` +
      `the measured process searched each shop once (hybrid, limit 10, result cache off); ` +
      `memory ${baseline.collected ? "after a full GC" : "without GC (run with --expose-gc)"}.`,
  );
  console.log("");
  console.log(
    `| | RSS | heap used | first search per shop p50 | p95 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n` +
      `| before any search (query model loaded) | ${mb(baseline.rss)} | ${mb(baseline.heapUsed)} | | | |\n` +
      `| after ${CHECKPOINT} shops | ${mb(afterCheckpoint.rss)} | ${mb(afterCheckpoint.heapUsed)} | ${ms(percentile(latencies.slice(0, CHECKPOINT), 50))} | ${ms(percentile(latencies.slice(0, CHECKPOINT), 95))} | ${ms(Math.max(...latencies.slice(0, CHECKPOINT)))} |\n` +
      `| after ${SHOPS} shops | ${mb(afterAll.rss)} | ${mb(afterAll.heapUsed)} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(Math.max(...latencies))} |`,
  );
  console.log("");
  console.log(`RSS by shops searched: ${series.join(", ")}.`);
  console.log("");
  console.log(
    `RSS growth ${CHECKPOINT} → ${SHOPS} shops: ${(growth * 100).toFixed(1)} %. ` +
      `Target: < ${TARGET_MB} MB after ${SHOPS} shops and ≤ ${TARGET_GROWTH * 100} % growth — ${pass ? "met" : "NOT met"}.`,
  );

  await services.prisma.$disconnect();
  await stack.stop();
  process.exit(0);
}

(process.env[STACK_ENV_VARIABLE] ? populate() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
