// APPWRITE_PRODUCTS (issue 17, Deliver 1; decision 120): the real app with the local Appwrite server
// behind a hop the test cuts, the suite's Chroma, signed product webhooks. The sync worker indexes and
// marks; the mirror writes. Appwrite stopped during a burst of product updates and deletes: the
// mirror converges on the last version of every product when it returns, nothing lost, nothing twice.
import { Databases, type Models } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { mirrorDocumentId, type ProductMirror } from "../../app/lib/sync/product-mirror.server";
import { startAppwriteEmulator, type RunningAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { drainSync } from "../../tools/lib/drain-sync";
import { mirrorDocuments } from "../helpers/mirror-documents";
import { startSwitchableProxy, type SwitchableProxy } from "../helpers/switchable-proxy";
import { loadApp, type LoadedApp } from "./helpers/app";

const PROJECT = "aisle-mirror";
const KEY = "mirror-key";
const DATABASE = "mirror-db";
const SHOP = "mirror-shop.myshopify.com";
const OTHER = "mirror-other.myshopify.com";

let emulator: RunningAppwriteEmulator;
let hop: SwitchableProxy;
let app: LoadedApp;
let mirror: ProductMirror;
let direct: Databases;

beforeAll(async () => {
  emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, buildDelayMs: 5 });
  hop = await startSwitchableProxy(emulator.endpoint);
  app = loadApp({
    APPWRITE_PRODUCTS: "true",
    APPWRITE_ENDPOINT: `${hop.url}/v1`,
    APPWRITE_PROJECT_ID: PROJECT,
    APPWRITE_API_KEY: KEY,
    APPWRITE_DATABASE_ID: DATABASE,
  });
  mirror = app.services.productMirror!;
  direct = new Databases(createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY }));
  await app.install(SHOP);
  await app.install(OTHER);
}, 60_000);

afterAll(async () => {
  for (const shop of [SHOP, OTHER]) await app?.services.productIndex.dropShop(shop).catch(() => {});
  await app?.close();
  await hop?.close();
  await emulator?.stop();
});

/** Every mirror document of a shop, straight from Appwrite. */
const documentsOf = (shop: string) => mirrorDocuments(direct, DATABASE, shop);

/** Products 1–12 created, 10–12 deleted, 13–14 created during the outage. */
const MIRRORED = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "13", "14"];
const productIds = (documents: Models.DefaultDocument[]) =>
  documents.map((d) => String(d.productId)).sort((a, b) => Number(a) - Number(b));

/** What the running mirror does over time, at once: passes until nothing is left (waits out its backoff). */
async function drainMirror() {
  for (let pass = 0; pass < 400; pass++) {
    const outcome = await mirror.drain();
    if (outcome === true) continue;
    if ((await app.prisma.productSync.count({ where: { mirrorPending: true } })) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the mirror did not drain");
}

describe("product metadata mirror in Appwrite", () => {
  it("writes each indexed product's document after the index write, keyed by shop and product", async () => {
    for (let n = 1; n <= 12; n++)
      expect(await app.deliver(SHOP, "products/create", restPayload(graphqlProduct(n)))).toBe(200);
    expect(await app.deliver(OTHER, "products/create", restPayload(graphqlProduct(1)))).toBe(200);
    // Nothing is written in the webhook request.
    expect(await app.prisma.productSync.count({ where: { mirrorPending: true } })).toBe(0);
    await drainSync(app.services.syncEngine);
    await drainMirror();
    const documents = await documentsOf(SHOP);
    expect(documents).toHaveLength(12);
    const first = documents.find((d) => d.productId === "1")!;
    expect(first.$id).toBe(mirrorDocumentId(SHOP, "1"));
    expect(first).toMatchObject({
      shop: SHOP,
      handle: expect.any(String),
      minPrice: 11,
      maxPrice: 11,
      available: true,
    });
    expect(await documentsOf(OTHER)).toHaveLength(1);
    expect(await mirror.state(SHOP)).toMatchObject({ expected: 12, inAppwrite: 12, waiting: 0, lastError: null });
  });

  it("converges after Appwrite was stopped during a burst of updates and deletes: none lost, none twice", async () => {
    hop.down();
    for (let version = 1; version <= 3; version++) {
      for (let n = 1; n <= 12; n++) {
        const product = graphqlProduct(n, {
          title: `Product ${n} v${version}`,
          price: `${20 + version}.00`,
          updatedAt: new Date(Date.UTC(2026, 11, 1, 0, version, n)).toISOString(),
        });
        expect(await app.deliver(SHOP, "products/update", restPayload(product))).toBe(200);
      }
      await drainSync(app.services.syncEngine); // the index keeps up; the mirror cannot
      expect(await mirror.drain()).not.toBe(true);
    }
    for (const n of [10, 11, 12]) expect(await app.deliver(SHOP, "products/delete", deletePayload(n))).toBe(200);
    for (let n = 13; n <= 14; n++)
      expect(await app.deliver(SHOP, "products/create", restPayload(graphqlProduct(n)))).toBe(200);
    await drainSync(app.services.syncEngine);
    const down = await mirror.state(SHOP);
    expect(down).toMatchObject({ expected: 11, inAppwrite: null, waiting: 14 });
    expect(down.lastError).toBeTruthy();

    hop.up();
    await drainMirror();
    const documents = await documentsOf(SHOP);
    const byProduct = new Map(documents.map((d) => [d.productId as string, d]));
    expect(documents).toHaveLength(11);
    expect(byProduct.size).toBe(11);
    expect(productIds(documents)).toEqual(MIRRORED);
    for (let n = 1; n <= 9; n++)
      expect(byProduct.get(String(n))).toMatchObject({ title: `Product ${n} v3`, minPrice: 23 });
    expect(await mirror.state(SHOP)).toMatchObject({ expected: 11, inAppwrite: 11, waiting: 0, lastError: null });
  });

  it("reconcile finds count drift and repairs it: a lost document written again, a stray one deleted", async () => {
    await direct.deleteDocument({
      databaseId: DATABASE,
      collectionId: "products",
      documentId: mirrorDocumentId(SHOP, "5"),
    });
    await direct.deleteDocument({
      databaseId: DATABASE,
      collectionId: "products",
      documentId: mirrorDocumentId(SHOP, "6"),
    });
    await direct.createDocument({
      databaseId: DATABASE,
      collectionId: "products",
      documentId: mirrorDocumentId(SHOP, "999"),
      data: {
        shop: SHOP,
        productId: "999",
        handle: "gone",
        title: "Gone",
        minPrice: 1,
        maxPrice: 1,
        available: true,
        updatedAt: "2026-01-01T00:00:00.000+00:00",
      },
    });
    expect(await mirror.reconcile(SHOP)).toEqual({ expected: 11, inAppwrite: 10, marked: 2, deleted: 1 });
    await drainMirror();
    expect(productIds(await documentsOf(SHOP))).toEqual(MIRRORED);
    expect(await mirror.reconcile(SHOP)).toEqual({ expected: 11, inAppwrite: 11, marked: 0, deleted: 0 });
  });

  it("shop/redact removes the shop's documents and no other shop's", async () => {
    await app.prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date(Date.now() - 60_000) } });
    expect(await app.deliver(SHOP, "shop/redact", JSON.stringify({ shop_id: 1, shop_domain: SHOP }))).toBe(200);
    expect(await app.services.lifecycleJobs.drain()).toBe(1);
    expect(await documentsOf(SHOP)).toHaveLength(0);
    expect(await documentsOf(OTHER)).toHaveLength(1);
  });
});
