// The sync engine against the local store emulator (Admin GraphQL with cost/throttle, bulk
// operations with JSONL, signed webhooks with faults), real SQLite, the suite's real Chroma and the
// real local embedder. The app runs in this process (routes, services, the Shopify library).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "../../app/lib/sync/shop-lifecycle.server";
import { countEmbeddings } from "./helpers/app";
import { installShop, sampleCatalog, startEmulatedShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

let h: EmulatedShopHarness;
let embedCalls: { calls: number; texts: number };

beforeAll(async () => {
  h = await startEmulatedShop();
  embedCalls = countEmbeddings(h.services.embeddingsProvider.embeddings);
});

afterAll(async () => {
  await h?.stop();
});

/** The store's products that shoppers can see (active and published), as GIDs. */
const searchableGids = (shop: string) =>
  [...h.emulator.shop(shop).store.products.values()]
    .filter((p) => p.status === "active" && p.publishedAt)
    .map((p) => `gid://shopify/Product/${p.id}`)
    .sort();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const runs = await h.prisma.importRun.findMany({ orderBy: { startedAt: "desc" }, take: 1 });
      throw new Error(`timed out waiting for ${what}; last import run: ${JSON.stringify(runs[0])}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a running engine does, step by step: move imports on, drain the workers. */
async function runImport(shop: string) {
  return waitFor(`import of ${shop}`, async () => {
    await h.services.syncEngine.advanceImports();
    await h.services.syncEngine.drain();
    const progress = await h.services.syncEngine.importProgress(shop);
    return progress?.status === "completed" || progress?.status === "failed" ? progress : undefined;
  });
}

const indexedIds = async (shop: string) => (await h.services.productIndex.listProductIds(shop)).sort();

describe("initial import", () => {
  const SHOP = "import-shop.myshopify.com";

  it("imports the catalog on install: bulk export, streamed JSONL, index equals catalog", async () => {
    h.emulator.createShop(SHOP);
    h.emulator.seed(SHOP, sampleCatalog(150));
    h.emulator.seed(SHOP, [{ ...sampleCatalog(1, 999)[0], status: "draft" }]);
    await installShop(h, SHOP);
    const before = { ...embedCalls };
    await recordInstall(h.prisma, h.services.syncEngine["deps"].log, SHOP, "read_products");
    const progress = await runImport(SHOP);
    expect(progress).toMatchObject({ status: "completed", total: 151, done: 151, malformedLines: 0 });
    expect(searchableGids(SHOP)).toHaveLength(150);
    expect(await indexedIds(SHOP)).toEqual(searchableGids(SHOP));
    expect(embedCalls.texts - before.texts).toBe(150);
    // Shopify told the app the export finished (bulk_operations/finish), and it was acknowledged.
    await waitFor("bulk_operations/finish", async () => h.answered.find((a) => a.topic === "bulk_operations/finish"));
    expect(h.answered.filter((a) => a.topic === "bulk_operations/finish").every((a) => a.status === 200)).toBe(true);
    const status = await h.services.syncEngine.status(SHOP);
    expect(status).toMatchObject({ productsInShopify: 151, indexed: 150, pending: 0, failed: 0 });
  });

  it("re-importing an unchanged catalog embeds nothing", async () => {
    const before = { ...embedCalls };
    await h.services.syncEngine.requestImport(SHOP);
    expect((await runImport(SHOP)).status).toBe("completed");
    expect(embedCalls.calls - before.calls).toBe(0);
  });
});
