// `npx tsx tools/bench/sync-bench.ts [--sizes 1000,10000] [--index-up-to 10000] [--burst 5000] [--concurrency 10]`
// (`--burst 0`: import figures only; `node --expose-gc --import tsx …` adds the live heap after parsing)
// Catalog sync on the real stack: store emulator (bulk operation + JSONL, Admin API with cost
// limits), the app's own modules (routes with real HMAC verification, sync engine), SQLite, a Chroma
// server and the local embedder. Each figure beside the seed's naive approach (embed and upsert
// every product on every change, one at a time, inside the webhook), measured in the same run.
// Results and the command lines that produced them: docs/benchmarks.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startChroma } from "../chroma/chroma-process";
import type { Product } from "../../app/lib/catalog/product";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { parseEnv } from "../../app/lib/config/env-schema";
import { shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { productFromWebhook } from "../../app/lib/shopify/product-from-webhook";
import { SyncEngine } from "../../app/lib/sync/sync-engine.server";
import { action as updateRoute } from "../../app/routes/webhooks.products.update";
import { createServices } from "../../app/services.server";
import { drainSync } from "../lib/drain-sync";
import { FETCH_SEAM_MODULE } from "../emulator/index";
import { webhookMessage, webhookRequest } from "../emulator/signing/webhook";
import { migrateDatabase } from "../lib/database";
import { freePort } from "../lib/ports";
import { createInterface } from "node:readline";
import { productWebhookBody } from "./product-webhook-body";
import { mb, ms, percentile, sleep } from "./bench-stack";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg("sizes", "1000").split(",").map(Number);
const INDEX_UP_TO = Number(arg("index-up-to", "10000"));
const BURST = Number(arg("burst", "5000"));
const NAIVE_SAMPLE = Number(arg("naive-sample", "100"));
const CONCURRENCY = Number(arg("concurrency", "10"));
const SECRET = "sync-bench-secret";

/** Live heap after a full collection (needs `node --expose-gc`; "n/a" otherwise). */
function liveHeap(): string {
  const { gc } = globalThis as { gc?: () => void };
  if (!gc) return "n/a";
  gc();
  return mb(process.memoryUsage().heapUsed);
}

/** Peak RSS while `fn` runs (sampled every 20 ms). */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number; seconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const value = await fn();
    return { value, peak: Math.max(peak, process.memoryUsage().rss), seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-sync-bench-"));
  const chroma = await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
  const databaseUrl = `file:${path.join(workDir, "bench.sqlite")}`;
  await migrateDatabase(databaseUrl);
  const emulatorProcess = spawn(
    process.execPath,
    ["--import", "tsx", "tools/bench/sync-emulator-process.ts", SECRET, ...SIZES.map(String)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const emulator = await new Promise<{ url: string; shops: Record<string, string> }>((resolve, reject) => {
    createInterface({ input: emulatorProcess.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
    emulatorProcess.once("exit", (code) => reject(new Error(`emulator process exited (${code})`)));
  });
  const services = createServices(
    parseEnv({
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      SHOPIFY_API_KEY: "sync-bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      DATABASE_URL: databaseUrl,
      CHROMA_URL: chroma.url,
      EMBEDDINGS_PROVIDER: "local",
      LLM_PROVIDER: "none",
      SYNC_WORKER_CONCURRENCY: "0",
    }),
  );
  const { prisma } = services;
  const unauthenticated = services.shopify.unauthenticated;
  // After the app's modules: the seam replaces the fetch function their Shopify adapter installed.
  const seam = (await import(/* @vite-ignore */ FETCH_SEAM_MODULE)) as { pointSeamAt(url: string): void };
  seam.pointSeamAt(emulator.url);

  const embedder = services.embeddings.embeddings;
  const embedStats = { calls: 0, texts: 0, seconds: 0 };
  const original = embedder.embedDocuments.bind(embedder);
  embedder.embedDocuments = async (texts: string[]) => {
    const started = performance.now();
    try {
      return await original(texts);
    } finally {
      embedStats.calls++;
      embedStats.texts += texts.length;
      embedStats.seconds += (performance.now() - started) / 1000;
    }
  };
  const engine = services.syncEngine;
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    console.log(line);
  };

  /** The app's side of an installation: the offline session the token exchange would have stored. */
  async function installShop(shop: string) {
    const accessToken = emulator.shops[shop];
    await prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken },
    });
    await prisma.shop.create({ data: { domain: shop } });
  }

  async function importUntil(shop: string, statuses: string[]) {
    for (;;) {
      await engine.advanceImports();
      const run = await prisma.importRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
      if (run && statuses.includes(run.status)) return run;
      await sleep(20);
    }
  }

  out(`# sync benchmark — ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}`);
  out("");
  out("## Import");
  out(
    "| products | export | parse + state | embedding | vector store + DB | total | RSS before → peak (export + parse) | live heap after parse | peak RSS (index) | naive (one at a time) |",
  );
  out("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  let benchShop = "";
  for (const size of SIZES) {
    const shop = `bench-${size}.myshopify.com`;
    await installShop(shop);
    await engine.requestImport(shop);
    // One window: the export, then streaming the JSONL into sync state (advanceImport runs both).
    const rssBefore = process.memoryUsage().rss;
    const parsed = await peakRss(() => importUntil(shop, ["indexing", "completed", "failed"]));
    const run = parsed.value;
    const heapAfterParse = liveHeap();
    const exportSeconds = (run.exportFinishedAt!.getTime() - run.startedAt.getTime()) / 1000;
    const parseSeconds = (run.downloadedAt!.getTime() - run.exportFinishedAt!.getTime()) / 1000;
    if (size > INDEX_UP_TO) {
      out(
        `| ${size} | ${exportSeconds.toFixed(1)} s | ${parseSeconds.toFixed(1)} s | not run | not run | — | ${mb(rssBefore)} → ${mb(parsed.peak)} | ${heapAfterParse} | — | — |`,
      );
      continue;
    }
    const before = { ...embedStats };
    const indexed = await peakRss(async () => {
      await drainSync(engine);
      return importUntil(shop, ["completed", "failed"]);
    });
    const embedSeconds = embedStats.seconds - before.seconds;
    const importCalls = embedStats.calls - before.calls;
    // Naive: each product embedded and written alone (a sample, scaled to the catalog).
    const products = (await prisma.productSync.findMany({ where: { shop }, take: NAIVE_SAMPLE })).map((r) =>
      buildProductDocument(JSON.parse(r.snapshot!)),
    );
    const naiveStarted = performance.now();
    for (const document of products) await services.productIndex.upsert(`naive-${shop}`, [document]);
    const naivePerProduct = (performance.now() - naiveStarted) / 1000 / products.length;
    out(
      `| ${size} | ${exportSeconds.toFixed(1)} s | ${parseSeconds.toFixed(1)} s | ${embedSeconds.toFixed(1)} s (${importCalls} calls) | ${(indexed.seconds - embedSeconds).toFixed(1)} s | ${(exportSeconds + parseSeconds + indexed.seconds).toFixed(1)} s | ${mb(rssBefore)} → ${mb(parsed.peak)} | ${heapAfterParse} | ${mb(indexed.peak)} | ${(naivePerProduct * size).toFixed(1)} s (${size} calls; ${(1 / naivePerProduct).toFixed(1)}/s over ${products.length}) |`,
    );
    await services.productIndex.dropShop(`naive-${shop}`);

    // Re-sync of the unchanged catalog.
    const resyncBefore = embedStats.calls;
    const resync = await peakRss(async () => {
      await engine.requestImport(shop);
      for (;;) {
        await engine.advanceImports();
        await drainSync(engine);
        const r = await prisma.importRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
        if (r?.status === "completed") return r;
      }
    });
    out(
      `|   ↳ re-sync unchanged | | | **${embedStats.calls - resyncBefore} embedding calls** | | ${resync.seconds.toFixed(1)} s | | | | ${size} embedding calls |`,
    );
    benchShop = shop;
  }
  if (!benchShop || BURST === 0) {
    // Import-only run (--index-up-to 0 for export/parse memory at large sizes, --burst 0 for import throughput).
    emulatorProcess.kill("SIGTERM");
    await services.syncEngine.stop();
    await chroma.stop();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  }

  // ---- webhook ack latency at a burst ----------------------------------------------------------
  const catalog = new Map(
    (await prisma.productSync.findMany({ where: { shop: benchShop } })).map((row) => [
      row.productId,
      JSON.parse(row.snapshot!) as Product,
    ]),
  );
  const ids = [...catalog.keys()];
  const base = Date.parse("2030-01-01T00:00:00Z");
  let second = 0;
  /** A products/update body with a fresh updated_at: a sale changes price and stock, an edit the title. */
  const updateBody = (id: string, change: "sale" | "content") => {
    const product = catalog.get(id)!;
    // A content edit stays: later sales of the product carry the edited title, as in Shopify.
    if (change === "content")
      catalog.set(id, { ...product, title: `${product.title.replace(/ \(edited \d+\)$/, "")} (edited ${second + 1})` });
    const updatedAt = new Date(base + ++second * 1000).toISOString();
    const current = catalog.get(id)!;
    const sold =
      change === "sale"
        ? {
            ...current,
            variants: current.variants.map((v) => ({
              ...v,
              price: (Number(v.price) + (second % 7)).toFixed(2),
              inventoryQuantity: Math.max(0, (v.inventoryQuantity ?? 5) - (second % 3)),
            })),
          }
        : current;
    return productWebhookBody(sold, updatedAt);
  };
  let deliveryNumber = 0;
  const deliver = async (body: string) => {
    const request = webhookRequest(
      "http://127.0.0.1:9/webhooks/products/update",
      webhookMessage({ topic: "products/update", shop: benchShop, body, webhookId: `bench-${++deliveryNumber}` }),
      { apiSecret: SECRET, apiVersion: "2026-07" },
    );
    const started = performance.now();
    const response = await updateRoute({ request, params: {}, context: { services } });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    return performance.now() - started;
  };
  const bodies = Array.from({ length: BURST }, (_, i) =>
    updateBody(ids[i % ids.length], i % 10 === 0 ? "content" : "sale"),
  );
  const latencies: number[] = [];
  const burstStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) latencies.push(await deliver(bodies[next++]));
    }),
  );
  const burstSeconds = (performance.now() - burstStarted) / 1000;
  // Naive ack: the handler embeds and writes the product before answering (a sample, sequential).
  const naiveLatencies: number[] = [];
  for (let i = 0; i < Math.min(NAIVE_SAMPLE, 100); i++) {
    const started = performance.now();
    const document = buildProductDocument(productFromWebhook(updateBody(ids[i % ids.length], "sale")));
    await services.productIndex.upsert(`naive-${benchShop}`, [document]);
    naiveLatencies.push(performance.now() - started);
  }
  await services.productIndex.dropShop(`naive-${benchShop}`);
  out("");
  out(`## Webhook ack latency (burst of ${BURST} deliveries, ${CONCURRENCY} concurrent, real HMAC verification)`);
  out("| | p50 | p99 | throughput |");
  out("| --- | --- | --- | --- |");
  out(
    `| Aisle (record, answer) | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${(BURST / burstSeconds).toFixed(0)}/s |`,
  );
  out(
    `| naive (embed + upsert inside the request, ${naiveLatencies.length} sequential) | ${ms(percentile(naiveLatencies, 50))} | ${ms(percentile(naiveLatencies, 99))} | ${(1000 / percentile(naiveLatencies, 50)).toFixed(0)}/s |`,
  );

  // ---- draining that burst: embedding calls for a realistic update stream ------------------------
  const streamBefore = { ...embedStats };
  const drained = await peakRss(() => drainSync(engine));
  out("");
  out(`## Realistic update stream (the ${BURST} deliveries above: 90 % sales/price, 10 % content edits)`);
  out("| | embedding calls | texts embedded | metadata-only writes | drain time |");
  out("| --- | --- | --- | --- | --- |");
  out(
    `| Aisle | ${embedStats.calls - streamBefore.calls} | ${embedStats.texts - streamBefore.texts} | ${drained.value.metadataUpdated} | ${drained.seconds.toFixed(1)} s |`,
  );
  out(`| naive | ${BURST} | ${BURST} | 0 | ≈ ${((BURST * percentile(naiveLatencies, 50)) / 1000).toFixed(0)} s |`);

  // ---- webhook → searchable lag with a running worker -------------------------------------------
  const worker = new SyncEngine({
    db: prisma,
    log: services.log,
    index: services.productIndex,
    transportFor: shopifyAppTransport((shop) => unauthenticated.admin(shop)),
    settings: { workerConcurrency: 1, pollIntervalMs: 200, reconcileIntervalMs: 0 },
  });
  await prisma.syncLagSample.deleteMany({});
  worker.start();
  const LAG_UPDATES = 200;
  for (let i = 0; i < LAG_UPDATES; i++) {
    await deliver(updateBody(ids[(i * 7) % ids.length], i % 4 === 0 ? "content" : "sale"));
    await sleep(50); // ~20 changes per second
  }
  while ((await prisma.productSync.count({ where: { shop: benchShop, pending: true } })) > 0) await sleep(100);
  await worker.stop();
  const lags = (await prisma.syncLagSample.findMany({ where: { shop: benchShop } })).map((s) => s.lagMs);
  out("");
  out(`## Webhook → searchable lag (${LAG_UPDATES} updates at ~20/s, 25 % content edits, one worker)`);
  out("| | p50 | p95 | samples |");
  out("| --- | --- | --- | --- |");
  out(`| Aisle | ${ms(percentile(lags, 50))} | ${ms(percentile(lags, 95))} | ${lags.length} |`);
  out(
    `| naive (inline, = its ack latency) | ${ms(percentile(naiveLatencies, 50))} | ${ms(percentile(naiveLatencies, 95))} | ${naiveLatencies.length} |`,
  );

  await services.syncEngine.stop();
  emulatorProcess.kill("SIGTERM");
  await chroma.stop();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
