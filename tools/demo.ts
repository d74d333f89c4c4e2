// `npm run demo`: builds the app if needed, then starts Chroma, the database, Aisle and the local Shopify
// store emulator with the demo shop (320-product catalog) installed, and prints where to look.
// Data lives in .data/demo (git-ignored). Ctrl-C stops it all.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createPrismaClient } from "../app/lib/db/create-prisma-client.server";
import { renderImportProgressBar } from "../app/lib/sync/import-progress-bar";
import { ACTIVE_IMPORT_STATUSES } from "../app/lib/sync/catalog-import.server";
import { getImportProgress } from "../app/lib/sync/sync-stats.server";
import { seedDemoStore } from "./emulator/catalog/demo-store";
import { startEmulatedStack } from "./emulator/emulated-stack";

const appPort = Number(process.env.PORT ?? 3000);
const chromaPort = Number(process.env.CHROMA_PORT ?? 8000);
const emulatorPort = Number(process.env.STORE_EMULATOR_PORT ?? 3100);
const storefrontPort = Number(process.env.STOREFRONT_PORT ?? 3101);
const shopDomain = process.env.DEMO_SHOP ?? "trailhead-supply.myshopify.com";
const dataDir = path.resolve(process.env.AISLE_DEMO_DIR ?? ".data/demo");

if (!existsSync(path.join("build", "server", "index.js")) || process.env.AISLE_DEMO_REBUILD === "1") {
  console.log("Building the app (first run only)…");
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: "inherit" });
}

console.log("Starting the store emulator, Chroma, the database and Aisle…");
const { stack, emulator, stop } = await startEmulatedStack({ dataDir, appPort, chromaPort, emulatorPort });
emulator.createShop(shopDomain, { name: "Trailhead Supply Co." });
// The emulator's store lives in memory: each run is a fresh install, so tokens the app kept from an
// earlier run are dead. Drop them, as Shopify's app/uninstalled would have.
const prisma = createPrismaClient(stack.databaseUrl);
await prisma.session.deleteMany({ where: { shop: shopDomain } });
const products = seedDemoStore(emulator, shopDomain);
const installedAt = new Date();
await emulator.installApp(shopDomain);
await showImportProgress(installedAt);
await prisma.$disconnect();
const storefront = await emulator.storefront(shopDomain, { port: storefrontPort });
const health = await fetch(`${stack.app.url}/healthz`).then((response) => response.json());

console.log(`
Aisle is running against a local Shopify store emulator (${products} products, app installed).
  Admin (embedded app):  ${emulator.adminUrl(shopDomain)}
  Storefront (widget):   ${storefront.url}   (log in as a demo customer at ${storefront.url}/account/login)
  App:                   ${stack.app.url}
  Health:                ${stack.app.url}/healthz  (${health.status})
  Chroma:                ${stack.chroma.url}
  Database:              ${stack.databaseUrl}
  Store emulator:        ${emulator.url}  (shop ${shopDomain})
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stop();
    process.exit(0);
  });
}

/**
 * The install starts the catalog import inside the app; follow it from the app's database and draw
 * a progress bar (done / total, rate, ETA) until every product is searchable or the import fails.
 */
async function showImportProgress(since: Date): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  const interactive = process.stdout.isTTY;
  let lastLine = "";
  for (;;) {
    const progress = await getImportProgress(prisma, shopDomain);
    const current = progress && progress.startedAt >= since ? progress : null;
    const line = current ? renderImportProgressBar(current) : "Catalog import: waiting for the app to start it…";
    if (line !== lastLine) {
      process.stdout.write(interactive ? `\r\x1b[2K${line}` : `${line}\n`);
      lastLine = line;
    }
    const finished = current && !(ACTIVE_IMPORT_STATUSES as readonly string[]).includes(current.status);
    if (finished || Date.now() > deadline) {
      if (interactive) process.stdout.write("\n");
      if (current?.error) console.log(`The import failed: ${current.error}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
