// `npm run demo`: builds the app if needed, then starts Chroma, the database, Aisle and the local Shopify
// store emulator with the demo shop (320-product catalog) installed, and prints where to look.
// `--catalog FILE` installs a merchant's own Shopify product CSV export or products JSON instead.
// Data lives in .data/demo (git-ignored) and is kept between runs; `npm run demo -- --reset` starts over.
// Ctrl-C stops it all, at any moment (also in the middle of the build or the start).
import { existsSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { PrismaClient } from "@prisma/client";
import { pino } from "pino";
import { formatAgo } from "../app/lib/dashboard/format";
import { createPrismaClient } from "../app/lib/db/create-prisma-client.server";
import { ACTIVE_IMPORT_STATUSES } from "../app/lib/sync/catalog-import.server";
import { renderImportProgressBar } from "../app/lib/sync/import-progress-bar";
import { recordUninstall } from "../app/lib/sync/shop-lifecycle.server";
import { getImportProgress, getSyncStatus, type SyncStatus } from "../app/lib/sync/sync-stats.server";
import {
  formatCatalogReport,
  readCatalogFile,
  seedCatalog,
  type CatalogFileReport,
} from "./emulator/catalog/catalog-file";
import { DEMO_QUESTIONS } from "./emulator/catalog/demo-content";
import { DEMO_CUSTOMERS, seedDemoStore } from "./emulator/catalog/demo-store";
import { startEmulatedStack } from "./emulator/emulated-stack";
import { busyPortsReport, processCommand } from "./lib/ports";
import {
  exitOf,
  isStopping,
  registerCleanup,
  spawnOwned,
  stopEverything,
  stopOnSignals,
} from "./lib/process-lifecycle";

const USAGE = `Usage: npm run demo [-- --reset] [-- --catalog FILE [--currency CODE]]
  --reset           start over: delete the demo's database and Chroma data before starting
  --catalog FILE    your own catalog instead of the demo one: a Shopify product CSV export
                    (admin → Products → Export) or a products JSON ({"products": [...]}, Admin REST shape);
                    its own shop and data directory (.data/demo-<file name>)
  --currency CODE   the shop's currency for --catalog (default USD)`;

// First of all: from here on, an interrupt stops whatever has been started so far.
stopOnSignals({ message: "\nStopping…" });

let reset = false;
let catalogFile: string | undefined;
let currency = "USD";
try {
  const { values } = parseArgs({
    options: {
      reset: { type: "boolean" },
      catalog: { type: "string" },
      currency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  reset = values.reset ?? false;
  catalogFile = values.catalog;
  if (catalogFile !== undefined && !existsSync(catalogFile)) throw new Error(`--catalog: no file ${catalogFile}`);
  currency = (values.currency ?? currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new Error(`--currency: expected an ISO 4217 code such as GBP, got ${currency}`);
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

/** "../x/hmoonhydro/products_export_1.csv" → "hmoonhydro-products-export-1": its own shop and data. */
const catalogSlug = catalogFile
  ? `${path.basename(path.dirname(path.resolve(catalogFile)))}-${path.parse(catalogFile).name}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
  : undefined;

const appPort = Number(process.env.PORT ?? 3000);
const chromaPort = Number(process.env.CHROMA_PORT ?? 8000);
const emulatorPort = Number(process.env.STORE_EMULATOR_PORT ?? 3100);
const storefrontPort = Number(process.env.STOREFRONT_PORT ?? 3101);
const shopDomain =
  process.env.DEMO_SHOP ?? (catalogSlug ? `${catalogSlug}.myshopify.com` : "trailhead-supply.myshopify.com");
const shopName = catalogFile ? path.basename(catalogFile) : "Trailhead Supply Co.";
const dataDir = path.resolve(process.env.AISLE_DEMO_DIR ?? (catalogSlug ? `.data/demo-${catalogSlug}` : ".data/demo"));
const pidFile = path.join(dataDir, "demo.pid");
// The emulator's bulk export files: under the data dir rather than a temp dir, so that a demo killed
// before it could clean up (SIGKILL) leaves nothing behind that the next run does not clear.
const emulatorDir = path.join(dataDir, "emulator");
const IMPORT_WAIT_MS = 30 * 60_000;

class DemoCannotStart extends Error {}

main().catch(async (error: unknown) => {
  // A Ctrl-C also reaches the children (same terminal): one of them may report its death here a
  // moment before this process runs its own signal handler. Then it is a stop, not a failure.
  await sleep(200);
  if (isStopping()) return;
  console.error(error instanceof DemoCannotStart ? error.message : `\nThe demo failed: ${(error as Error).stack}`);
  await stopEverything();
  process.exit(1);
});

async function main(): Promise<void> {
  const busy = await busyPortsReport(
    [
      { port: appPort, service: "Aisle app", envVar: "PORT" },
      { port: chromaPort, service: "Chroma", envVar: "CHROMA_PORT" },
      { port: emulatorPort, service: "store emulator", envVar: "STORE_EMULATOR_PORT" },
      { port: storefrontPort, service: "emulated storefront", envVar: "STOREFRONT_PORT" },
    ],
    "npm run demo",
  );
  if (busy) throw new DemoCannotStart(busy);
  // Read before anything starts: a file that is not a catalog stops here with the reason.
  let catalog: ReturnType<typeof readCatalogFile> | undefined;
  try {
    catalog = catalogFile ? readCatalogFile(catalogFile) : undefined;
  } catch (error) {
    throw new DemoCannotStart(`Cannot read the catalog ${catalogFile}: ${(error as Error).message}`);
  }
  claimDataDir();
  if (reset) resetDemoData();
  rmSync(emulatorDir, { recursive: true, force: true });
  mkdirSync(emulatorDir);
  registerCleanup(async () => rmSync(emulatorDir, { recursive: true, force: true }));
  await buildIfNeeded();

  console.log("Starting the store emulator, Chroma, the database and Aisle…");
  let earlier = null as SyncStatus | null; // set by beforeApp below (a cast, or TS narrows it to null)
  const { stack, emulator } = await startEmulatedStack({
    dataDir,
    appPort,
    chromaPort,
    emulatorPort,
    emulator: { dataDir: emulatorDir },
    beforeApp: async (databaseUrl) => {
      earlier = await endEarlierInstall(databaseUrl);
    },
  });
  const store = emulator.createShop(shopDomain, { name: shopName, currency: catalog ? currency : undefined });
  let report: CatalogFileReport | undefined;
  let products: number;
  if (catalog) {
    report = catalog.report;
    products = seedCatalog(store, catalog.products, report);
    for (const customer of DEMO_CUSTOMERS) store.createCustomer(customer);
    console.log(formatCatalogReport(report, products));
    if (!products) throw new DemoCannotStart(`No product of ${catalogFile} could be created; see the reasons above.`);
  } else {
    products = seedDemoStore(emulator, shopDomain);
  }
  if (earlier) console.log(describeEarlierRun(earlier));

  const prisma = createPrismaClient(stack.databaseUrl);
  registerCleanup(() => prisma.$disconnect());
  const installedAt = new Date();
  await emulator.installApp(shopDomain);
  await seedDemoQuestions(prisma, shopDomain);
  await followImport(prisma, installedAt);
  const status = await getSyncStatus(prisma, shopDomain);
  const storefront = await emulator.storefront(shopDomain, { port: storefrontPort });
  const health = await fetch(`${stack.app.url}/healthz`).then((response) => response.json());

  console.log(`
Aisle is running against a local Shopify store emulator (${products} products${report ? ` from ${catalogFile}, ${report.skipped.length} skipped` : ""}, app installed).
  Admin (embedded app):  ${emulator.adminUrl(shopDomain)}
  Storefront (widget):   ${storefront.url}   (log in as a demo customer at ${storefront.url}/account/login)
  App:                   ${stack.app.url}
  Health:                ${stack.app.url}/healthz  (${health.status})
  Catalog:               ${status.indexed} products searchable (drafts, archived and unpublished ones stay out)${status.failed ? `; ${status.failed} failing, see the dashboard` : ""}
  Chroma:                ${stack.chroma.url}
  Database:              ${stack.databaseUrl}
  Store emulator:        ${emulator.url}  (shop ${shopDomain})
  Data:                  ${dataDir}  (kept between runs; \`npm run demo -- ${catalogFile ? `--catalog ${catalogFile} ` : ""}--reset\` starts over)
Ctrl-C stops everything.`);
}

/**
 * Two demos on one data directory would share a SQLite file and a Chroma directory (and break
 * both): a pid file says which demo uses it, and a live one is reported instead of started over.
 */
function claimDataDir(): void {
  mkdirSync(dataDir, { recursive: true });
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : 0;
  if (pid && pid !== process.pid && processCommand(pid).includes("tools/demo.ts")) {
    throw new DemoCannotStart(
      [
        `Another demo (pid ${pid}) is running with the data in ${dataDir}.`,
        `Stop it (Ctrl-C in its terminal, or: kill ${pid}), or give this one its own data and ports, e.g.:`,
        `  AISLE_DEMO_DIR=.data/demo-2 PORT=3010 CHROMA_PORT=8010 STORE_EMULATOR_PORT=3110 STOREFRONT_PORT=3111 npm run demo`,
      ].join("\n"),
    );
  }
  writeFileSync(pidFile, String(process.pid));
  registerCleanup(async () => rmSync(pidFile, { force: true }));
}

/** Only what the demo itself writes goes: AISLE_DEMO_DIR may name a directory holding other things. */
function resetDemoData(): void {
  for (const entry of ["aisle.sqlite", "aisle.sqlite-journal", "aisle.sqlite-wal", "aisle.sqlite-shm", "chroma"]) {
    rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  console.log(`Starting over: removed the demo's database and Chroma data in ${dataDir}.`);
}

async function buildIfNeeded(): Promise<void> {
  if (existsSync(path.join("build", "server", "index.js")) && process.env.AISLE_DEMO_REBUILD !== "1") return;
  console.log("Building the app (first run only)…");
  // Written last by the build: without it, a build interrupted here is redone on the next run.
  rmSync(path.join("build", "server", "index.js"), { force: true });
  // A child of ours (not execFileSync): this process keeps answering Ctrl-C while the build runs.
  const build = spawnOwned(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    stdio: "inherit",
  });
  if ((await exitOf(build)) !== 0) throw new DemoCannotStart("The build failed (see above); fix it and run again.");
}

/**
 * The emulator's store lives in memory: when a demo stops, its shop and the app's installation in
 * it are gone, while the app's database here still has the shop as installed. Shopify tells an app
 * about that with app/uninstalled; the app's own handler for it runs here, before the app starts.
 * This run's install is then a reinstall, as in Shopify: the app imports the catalog again (a
 * refresh: products whose text did not change are not embedded again), and an import an
 * interrupted run left half done is cancelled instead of resumed against a store that is gone.
 * Returns what the earlier runs left (null on a first run).
 */
async function endEarlierInstall(databaseUrl: string): Promise<SyncStatus | null> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const shop = await prisma.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop) return null;
    const status = await getSyncStatus(prisma, shopDomain);
    if (!shop.uninstalledAt) await recordUninstall(prisma, pino({ level: "silent" }), shopDomain);
    return status;
  } finally {
    await prisma.$disconnect();
  }
}

function describeEarlierRun(status: SyncStatus): string {
  const run = status.lastImport;
  const lastImport = !run
    ? "no import yet"
    : run.status === "completed"
      ? `last import completed ${formatAgo(run.finishedAt)}`
      : run.status === "failed" || run.status === "cancelled"
        ? `last import ${run.status} ${formatAgo(run.finishedAt ?? run.startedAt)}${run.error ? ` (${run.error})` : ""}`
        : `last import interrupted at ${run.done}/${run.total ?? "?"} (started ${formatAgo(run.startedAt)})`;
  return [
    `The app knows this shop from an earlier run: ${status.indexed} products searchable, ${lastImport}.`,
    "The emulator's store starts afresh on every run, so the app is installed again and refreshes the",
    "catalog: only products whose text changed are embedded again. (`npm run demo -- --reset` starts over.)",
  ].join("\n");
}

/**
 * The install starts the catalog import inside the app; follow it from the app's database and draw
 * a progress bar (done / total, rate, ETA) until every product is searchable or the import fails.
 */
async function followImport(prisma: PrismaClient, since: Date): Promise<void> {
  const started = Date.now();
  let runId: string | undefined;
  // The app records the import while it handles the install; a short grace covers a slow write.
  while (!runId && Date.now() - started < 10_000) {
    runId = (await prisma.importRun.findFirst({ where: { shop: shopDomain, startedAt: { gte: since } } }))?.id;
    if (!runId) await sleep(250);
  }
  if (!runId) {
    console.log("The app started no catalog import (it has the catalog already); see the dashboard for its state.");
    return;
  }
  const interactive = process.stdout.isTTY;
  let shown = "";
  for (;;) {
    const progress = await getImportProgress(prisma, shopDomain, runId);
    if (!progress) return;
    const line = renderImportProgressBar(progress);
    // A terminal redraws one line; a log (CI, a pipe) gets a line per step, not per rate change.
    const key = interactive ? line : `${progress.status} ${progress.done}`;
    if (key !== shown) {
      process.stdout.write(interactive ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = key;
    }
    const finished = !(ACTIVE_IMPORT_STATUSES as readonly string[]).includes(progress.status);
    if (finished || Date.now() - started > IMPORT_WAIT_MS) {
      if (interactive) process.stdout.write("\n");
      if (!finished) console.log("The import is still running; the dashboard shows its progress.");
      if (progress.error) console.log(`The import failed: ${progress.error}`);
      return;
    }
    await sleep(500);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The demo shop's merchant Q&A (tools/emulator/catalog/demo-content.ts), as a merchant would enter it in
 * the dashboard: saved once; the app indexes entries without their passages on its next knowledge refresh.
 */
async function seedDemoQuestions(prisma: PrismaClient, shop: string): Promise<void> {
  if (await prisma.knowledgeQuestion.count({ where: { shop } })) return;
  await prisma.knowledgeQuestion.createMany({ data: DEMO_QUESTIONS.map((entry) => ({ shop, ...entry })) });
}
