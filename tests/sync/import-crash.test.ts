// Kill the sync process (SIGKILL) at random points during a 5,000-product import, start it again,
// repeat: the index must end up equal to the catalog, with no duplicates and nothing lost.
// Real processes, real SQLite file shared between them, real Chroma, real local embedder, and the
// store emulator's bulk operation.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { createProductIndex, createVectorStore } from "../../app/lib/search/search-stores.server";
import { parseEnv } from "../../app/lib/config/env-schema";
import { requestImport } from "../../app/lib/sync/catalog-import.server";
import { startChroma, type RunningChroma } from "../../tools/chroma/chroma-process";
import { freePort } from "../../tools/lib/ports";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator/index";
import { createTestDatabase } from "../helpers/database";
import { sampleCatalog } from "../../tools/bench/sync-catalog";

const SHOP = "crash-shop.myshopify.com";
// The suite runs 600 products (a minute or two on 2 shared cores); the 5,000 is the same test with
// CRASH_TEST_PRODUCTS=5000 (docs/benchmarks.md records that run).
const PRODUCTS = Number(process.env.CRASH_TEST_PRODUCTS ?? 600);
let emulator: StoreEmulator;
// A Chroma server of its own: a client killed in the middle of an upsert can wedge Chroma 1.0.0 (below),
// which must not disturb the other suites sharing the global server.
let chroma: RunningChroma;
const chromaDir = mkdtempSync(path.join(os.tmpdir(), "aisle-crash-chroma-"));
const database = createTestDatabase();
const children = new Set<ChildProcess>();

beforeAll(async () => {
  chroma = await startChroma({ dataDir: chromaDir, port: await freePort(), quiet: true });
  emulator = await startStoreEmulator({
    app: { apiKey: "crash-tests", apiSecret: "crash-secret", appUrl: `http://127.0.0.1:${await freePort()}` },
    webhooks: { maxAttempts: 1 },
  });
  emulator.createShop(SHOP);
  emulator.seed(SHOP, sampleCatalog(PRODUCTS));
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await emulator?.stop();
  await chroma?.stop();
  rmSync(chromaDir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "test",
  LOG_LEVEL: process.env.CRASH_TEST_LOG_LEVEL ?? "info",
  SHOPIFY_API_KEY: "crash-tests",
  SHOPIFY_API_SECRET: "crash-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  DATABASE_URL: database.url,
  CHROMA_URL: chroma.url,
  EMBEDDINGS_PROVIDER: "local",
  SYNC_WORKER_CONCURRENCY: "1",
  SYNC_BATCH_SIZE: "64",
  SYNC_LEASE_SECONDS: "2",
  // Retries after a kill must come back within the test's deadline, not after minutes of backoff.
  SYNC_MAX_BACKOFF_SECONDS: "2",
  SYNC_POLL_INTERVAL_MS: "100",
  EMULATOR_URL: emulator.url,
  SHOP_TOKENS: JSON.stringify({ [SHOP]: token }),
});
let token = "";

let childOutput = "";

function startSyncProcess(): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/sync/helpers/sync-process.ts"], {
    env: env(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (childOutput += chunk));
  child.stderr!.on("data", (chunk) => (childOutput += chunk));
  children.add(child);
  const exited = new Promise((resolve) => child.once("exit", resolve)).then(() => children.delete(child));
  return { child, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function importStatus() {
  for (;;) {
    try {
      const run = await database.prisma.importRun.findFirst({ where: { shop: SHOP } });
      return run?.status;
    } catch {
      await sleep(100); // the sync process holds the SQLite write lock for a moment
    }
  }
}

it(
  `a ${PRODUCTS}-product import killed at random points ends with index = catalog, no duplicates`,
  async () => {
    emulator.shop(SHOP).installation = { scopes: ["read_products"], accessTokens: new Map(), refreshTokens: new Map() };
    token = emulator.accessTokenFor(SHOP);
    await database.prisma.shop.create({ data: { domain: SHOP } });
    await requestImport(database.prisma, SHOP);

    const killedDuring: string[] = [];
    // Different kill points on every run; CRASH_TEST_SEED=<seed> replays a run (the seed is printed).
    const firstSeed = Number(process.env.CRASH_TEST_SEED ?? Date.now() % 2 ** 31);
    let seed = firstSeed;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // The first lives die as soon as the run reaches the export, then the download (each phase is
    // interrupted at least once); later ones at random points of the indexing.
    const phases = ["requested", "exporting", "downloading", "indexing", "completed"];
    const killAt = ["exporting", "downloading"];
    for (let life = 0; life < 10; life++) {
      const { child, exited } = startSyncProcess();
      if (life < killAt.length) {
        const until = Date.now() + 60_000;
        while (
          phases.indexOf((await importStatus()) ?? "requested") < phases.indexOf(killAt[life]) &&
          Date.now() < until
        )
          await sleep(20);
      } else {
        await sleep(500 + random() * 4000);
      }
      const status = await importStatus();
      if (status === "completed") break;
      child.kill("SIGKILL");
      await exited;
      killedDuring.push(status ?? "none");
    }
    const last = startSyncProcess();
    let lastExit: number | null | undefined;
    last.child.once("exit", (code) => (lastExit = code));
    const deadline = Date.now() + 120_000 + PRODUCTS * 300;
    let chromaRestarts = 0;
    let lastWedgeCheck = Date.now();
    while ((await importStatus()) !== "completed") {
      // Chroma 1.0.0 (the server that runs on this glibc) panics in its compactor when a client disconnects
      // in the middle of an upsert; every write then fails with this message until the server restarts.
      // The operator's remedy, done here: restart Chroma. Aisle's part is to lose nothing meanwhile.
      if (Date.now() - lastWedgeCheck > 2000) {
        lastWedgeCheck = Date.now();
        const wedged = await database.prisma.productSync
          .count({ where: { shop: SHOP, pending: true, lastError: { contains: "compactor" } } })
          .catch(() => 0);
        if (wedged) {
          await chroma.stop();
          chroma = await startChroma({ dataDir: chromaDir, port: chroma.port, quiet: true });
          chromaRestarts++;
        }
      }
      if (lastExit !== undefined) throw new Error(`the sync process exited (${lastExit})\n${childOutput.slice(-6000)}`);
      if (Date.now() > deadline) {
        const run = await database.prisma.importRun.findFirst({ where: { shop: SHOP } });
        const stuck = await database.prisma.productSync.findMany({
          where: { shop: SHOP, pending: true },
          select: {
            productId: true,
            attempts: true,
            lastError: true,
            nextAttemptAt: true,
            leaseOwner: true,
            leaseUntil: true,
            version: true,
          },
          take: 5,
        });
        throw new Error(
          `import did not complete: ${JSON.stringify(run)}\n${JSON.stringify(stuck)}\n${childOutput.slice(-6000)}`,
        );
      }
      await sleep(250);
    }
    for (const child of children) child.kill("SIGKILL");
    console.info(
      `[import-crash] killed ${killedDuring.length}× during: ${killedDuring.join(", ")}; Chroma restarted ${chromaRestarts}×; seed ${firstSeed}`,
    );
    expect(killedDuring.length).toBeGreaterThan(2);

    const settings = parseEnv(env());
    const vectors = createVectorStore(settings);
    const index = createProductIndex({
      env: settings,
      db: database.prisma,
      vectors,
      embeddings: createEmbeddings(settings),
    });
    const ids = await index.listProductIds(SHOP);
    expect(new Set(ids).size).toBe(ids.length);
    const catalog = [...emulator.shop(SHOP).store.products.values()]
      .filter((p) => p.status === "active" && p.publishedAt)
      .map((p) => `gid://shopify/Product/${p.id}`);
    expect(catalog).toHaveLength(PRODUCTS);
    expect([...ids].sort()).toEqual(catalog.sort());
    expect(await index.count(SHOP)).toBe(PRODUCTS);
    const run = await database.prisma.importRun.findFirstOrThrow({ where: { shop: SHOP } });
    expect(run).toMatchObject({ status: "completed", total: PRODUCTS, malformedLines: 0 });
    expect(await database.prisma.productSync.count({ where: { shop: SHOP, pending: true } })).toBe(0);
    // Every product has its vector, and its indexed text is the one its current data gives (nothing half-written).
    const state = await database.prisma.searchIndex.findUniqueOrThrow({ where: { shop: SHOP } });
    expect((await vectors.listIds(state.activeCollection)).sort()).toEqual(catalog.sort());
    const stored = await index.catalog.page(SHOP, null, PRODUCTS + 1);
    const titles = new Map(
      [...emulator.shop(SHOP).store.products.values()].map((p) => [`gid://shopify/Product/${p.id}`, p.title]),
    );
    expect(stored.every((p) => p.text.startsWith(titles.get(p.id)!))).toBe(true);
  },
  300_000 + PRODUCTS * 200,
);
