// `npm run bench:live -- [--products 10000] [--seconds 60] [--hot 500] [--backend sqlite-chroma|postgres-pgvector]`
// Search latency while the catalog changes: one shop of N demo products in one app process
// (createServices), shoppers searching at 5/s on a fixed schedule while product updates arrive as
// signed products/update webhooks and the sync engine's own worker indexes them — the production
// path (webhook route → ProductSync → worker → index). Three phases: quiet, 1 and 10 updates/s.
// Results and command lines: docs/benchmarks.md.
import { isSearchable, type Product } from "../../app/lib/catalog/product";
import { action as updateRoute } from "../../app/routes/webhooks.products.update";
import type { Services } from "../../app/services.server";
import { drainSync } from "../lib/drain-sync";
import { webhookMessage, webhookRequest } from "../emulator/signing/webhook";
import {
  backendArg,
  BENCH_QUERIES,
  BENCH_SECRET,
  createBenchServices,
  demoCatalogProducts,
  indexCatalog,
  machine,
  mb,
  memory,
  ms,
  numberArg,
  percentile,
  sleep,
  startBenchStack,
} from "./bench-stack";
import { productWebhookBody } from "./product-webhook-body";

const PRODUCTS = numberArg("products", 10_000);
const SECONDS = numberArg("seconds", 60);
/** Products the updates go to (sales concentrate on a few; each gets one warm-up delivery). */
const HOT = numberArg("hot", 500);
const SEARCHES_PER_SECOND = 5;
const EDIT_EVERY_SECONDS = 10;
/** A search that starts this much after its slot is counted late (the event loop was busy). */
const LATE_MS = 20;
const SHOP = "live-bench.myshopify.com";

const PHASES = [
  { name: "quiet", updatesPerSecond: 0 },
  { name: "1 update/s", updatesPerSecond: 1 },
  { name: "10 updates/s", updatesPerSecond: 10 },
];

/**
 * Calls `task(i)` at `perSecond` on a fixed schedule for `seconds`, without waiting for earlier
 * calls (open loop: a slow search does not postpone the next one, as with real shoppers).
 * `late` is how long after its slot a call started.
 */
async function onSchedule(
  perSecond: number,
  seconds: number,
  task: (i: number, slot: number, late: number) => Promise<void>,
): Promise<void> {
  if (perSecond <= 0) return;
  const started = performance.now();
  const period = 1000 / perSecond;
  const running: Promise<void>[] = [];
  for (let i = 0; i < Math.floor(seconds * perSecond); i++) {
    const slot = started + i * period;
    await sleep(slot - performance.now());
    running.push(task(i, slot, performance.now() - slot));
  }
  await Promise.all(running);
}

/** Peak RSS while `fn` runs (sampled every 100 ms). */
async function withPeakRss(fn: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss);
}

/** The shop's catalog as Shopify holds it, changed one product at a time and delivered as webhooks. */
class LiveCatalog {
  private deliveries = 0;
  private readonly base = Date.parse("2030-01-01T00:00:00Z");
  readonly ackMs: number[] = [];
  failures = 0;

  constructor(
    private readonly services: Services,
    private readonly hot: Product[],
  ) {}

  /** Posts the product's current state to the route, like Shopify after an Admin edit. */
  async deliver(product: Product): Promise<void> {
    // One second per delivery: Shopify orders by updated_at (whole seconds); ties would need the Admin API.
    const updatedAt = new Date(this.base + ++this.deliveries * 1000).toISOString();
    const request = webhookRequest(
      "http://127.0.0.1:9/webhooks/products/update",
      webhookMessage({ topic: "products/update", shop: SHOP, body: productWebhookBody(product, updatedAt) }),
      { apiSecret: BENCH_SECRET, apiVersion: "2026-07" },
    );
    const started = performance.now();
    const response = await updateRoute({ request, params: {}, context: { services: this.services } });
    this.ackMs.push(performance.now() - started);
    if (response.status !== 200) this.failures++;
  }

  /** Half the updates change a price, half the stock; every 4th stock change flips availability. */
  update(i: number): Promise<void> {
    const at = i % this.hot.length;
    const product = this.hot[at];
    const variants = product.variants.map((v, n) => {
      if (n > 0) return v;
      if (i % 2 === 0) return { ...v, price: (Number(v.price) * (i % 4 === 0 ? 1.05 : 0.96)).toFixed(2) };
      const stock = v.inventoryQuantity ?? 0;
      const next = i % 8 === 1 ? (stock > 0 ? 0 : 12) : Math.max(1, stock + (i % 3) - 1);
      return { ...v, inventoryQuantity: next, availableForSale: next > 0 };
    });
    this.hot[at] = { ...product, variants };
    return this.deliver(this.hot[at]);
  }

  /** A merchant's copy edit: new title and description, so the worker re-embeds the product. */
  edit(i: number): Promise<void> {
    const at = (i * 37) % this.hot.length;
    const product = this.hot[at];
    this.hot[at] = {
      ...product,
      title: `${product.title.replace(/ — v\d+$/, "")} — v${i + 2}`,
      descriptionHtml: `${product.descriptionHtml}<p>Updated care instructions, revision ${i + 2}.</p>`,
    };
    return this.deliver(this.hot[at]);
  }
}

interface PhaseResult {
  name: string;
  updatesPerSecond: number;
  latencies: number[];
  late: number;
  errors: number;
  acks: number[];
  lags: number[];
  pendingAfter: number;
  peakRss: number;
  rss: number;
  heapUsed: number;
}

async function main() {
  const backend = backendArg();
  const stack = await startBenchStack(backend, "live-bench");
  // Production's worker settings (SYNC_WORKER_CONCURRENCY, poll interval, batch size) from the
  // defaults; only reconciliation is off: it asks the Admin API (no Shopify here) every 6 h.
  const bench = await createBenchServices(stack.env, { SYNC_RECONCILE_INTERVAL_MINUTES: "0" });
  const { services } = bench;
  const { prisma } = services;
  // The app's side of an installation: the offline session the webhook route requires.
  await prisma.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, scope: "read_products", accessToken: "x" },
  });
  await prisma.shop.create({ data: { domain: SHOP } });

  const products = demoCatalogProducts(PRODUCTS).filter(isSearchable);
  const indexStarted = performance.now();
  await indexCatalog(services, SHOP, products, {
    progress: (n) => process.stderr.write(`\rindexed ${n}/${products.length}`),
  });
  process.stderr.write("\n");
  const indexSeconds = (performance.now() - indexStarted) / 1000;

  // The hot products spread over the catalog. One warm-up delivery each, drained before the
  // phases: the bulk load above bypassed sync, so without it each product's first webhook would
  // be a full re-embed instead of the price/stock metadata write it is in production.
  const step = Math.max(1, Math.floor(products.length / Math.min(HOT, products.length)));
  const hot = products.filter((_, i) => i % step === 0).slice(0, HOT);
  const catalog = new LiveCatalog(services, hot);
  for (const product of hot) await catalog.deliver(product);
  await drainSync(services.syncEngine);
  catalog.ackMs.length = 0;

  // From here on, as in a running app: the engine's workers poll, and a content edit is embedded
  // by the real model (its CPU competes with the searches). Only the bulk load used pseudo-vectors.
  bench.useRealDocumentEmbeddings();
  services.syncEngine.start();
  // Warm-up: the query model, the shop's search structures.
  for (const query of BENCH_QUERIES) await services.productSearch.search({ shop: SHOP, query, limit: 10 });

  const results: PhaseResult[] = [];
  let searchNumber = 0;
  for (const phase of PHASES) {
    process.stderr.write(`phase ${phase.name} (${SECONDS} s)…\n`);
    const phaseStarted = new Date();
    const latencies: number[] = [];
    let late = 0;
    let errors = 0;
    const acksBefore = catalog.ackMs.length;
    const peakRss = await withPeakRss(() =>
      Promise.all([
        onSchedule(SEARCHES_PER_SECOND, SECONDS, async (_i, slot, lateBy) => {
          if (lateBy > LATE_MS) late++;
          const query = BENCH_QUERIES[searchNumber++ % BENCH_QUERIES.length];
          try {
            await services.productSearch.search({ shop: SHOP, query, limit: 10 });
            // From the slot, not from the start: a late start is waiting a shopper would see.
            latencies.push(performance.now() - slot);
          } catch (error) {
            errors++;
            if (errors === 1) console.error(error);
          }
        }),
        onSchedule(phase.updatesPerSecond, SECONDS, (i) => catalog.update(i)),
        onSchedule(phase.updatesPerSecond ? 1 / EDIT_EVERY_SECONDS : 0, SECONDS, (i) => catalog.edit(i)),
      ]).then(() => undefined),
    );
    // The phase's last changes are indexed before its lag is read (bounded: a stuck worker shows as pending).
    const settleBy = Date.now() + 60_000;
    let pending = 0;
    while (
      (pending = await prisma.productSync.count({ where: { shop: SHOP, pending: true } })) &&
      Date.now() < settleBy
    )
      await sleep(100);
    const lags = (
      await prisma.syncLagSample.findMany({ where: { shop: SHOP, recordedAt: { gte: phaseStarted } } })
    ).map((s) => s.lagMs);
    const { rss, heapUsed } = memory();
    results.push({
      ...phase,
      latencies,
      late,
      errors,
      acks: catalog.ackMs.slice(acksBefore),
      lags,
      pendingAfter: pending,
      peakRss,
      rss,
      heapUsed,
    });
  }
  await services.syncEngine.stop();
  const documentCount = await services.productIndex.count(SHOP);

  const quietP95 = percentile(results[0].latencies, 95);
  console.log(`# live search benchmark — ${backend}, ${machine()}`);
  console.log("");
  console.log(
    `${products.length.toLocaleString("en")} searchable products (${documentCount.toLocaleString("en")} in the index), written in ${indexSeconds.toFixed(0)} s; ` +
      `${SEARCHES_PER_SECOND} searches/s over ${BENCH_QUERIES.length} queries (hybrid, limit 10, result cache off); ` +
      `updates via signed products/update webhooks to ${hot.length} products (half price, half stock), ` +
      `plus one content edit every ${EDIT_EVERY_SECONDS} s in the update phases; ${SECONDS} s per phase; ` +
      `real document embeddings after the bulk load: ${bench.realDocumentTexts()} texts.`,
  );
  console.log("");
  console.log(
    "| phase | searches answered | late starts | errors | p50 | p95 | p99 | max | p95 / quiet p95 | webhooks (ack p95) | sync lag p50 | lag p95 | lag max | pending after | RSS end (peak) | heap end |",
  );
  console.log(
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const r of results) {
    const p95 = percentile(r.latencies, 95);
    console.log(
      `| ${r.name} | ${r.latencies.length} | ${r.late} | ${r.errors} | ${ms(percentile(r.latencies, 50))} | ${ms(p95)} | ${ms(percentile(r.latencies, 99))} | ${ms(Math.max(...r.latencies))} | ${(p95 / quietP95).toFixed(2)} | ${r.acks.length} (${ms(percentile(r.acks, 95))}) | ${ms(percentile(r.lags, 50))} | ${ms(percentile(r.lags, 95))} | ${r.lags.length ? ms(Math.max(...r.lags)) : "—"} | ${r.pendingAfter} | ${mb(r.rss)} (${mb(r.peakRss)}) | ${mb(r.heapUsed)} |`,
    );
  }
  if (catalog.failures) console.log(`\n${catalog.failures} webhook deliveries were not answered 200.`);

  await services.prisma.$disconnect();
  await stack.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
