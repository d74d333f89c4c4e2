// APPWRITE_PRODUCTS: a copy of each indexed product's metadata in the merchant's Appwrite (one
// `products` collection, a `shop` attribute with an index; decision 120), for their other Appwrite apps.
// The sync worker marks a product (ProductSync.mirrorPending) after each index write; this writer
// builds the document from the product's snapshot and writes or deletes it, with backoff while
// Appwrite fails, so a burst of updates during an outage converges on the last version when it returns.
import { createHash } from "node:crypto";
import type { PrismaClient, ProductSync } from "@prisma/client";
import { Databases, Query, type Client, type Models } from "node-appwrite";
import { isSearchable } from "../catalog/product";
import { htmlToPlainText, truncateText } from "../catalog/product-document";
import { ensureAppwriteSchema, isAppwriteError, type CollectionSpec } from "../customers/appwrite-schema.server";
import { PollLoop } from "../jobs/poll-loop";
import type { Logger } from "../logger.server";
import { legacyId } from "../shopify/gid";
import { parseSnapshot } from "./product-state.server";
import { backoffMs } from "./sync-worker.server";

const COLLECTION = "products";
const PAGE = 100;

export const PRODUCT_MIRROR_COLLECTION: CollectionSpec = {
  id: COLLECTION,
  name: "Shop products (Aisle)",
  attributes: [
    { key: "shop", type: "string", size: 255, required: true },
    { key: "productId", type: "string", size: 32, required: true },
    { key: "handle", type: "string", size: 255, required: true },
    { key: "title", type: "string", size: 255, required: true },
    { key: "description", type: "string", size: 5000 },
    { key: "minPrice", type: "float", required: true },
    { key: "maxPrice", type: "float", required: true },
    { key: "available", type: "boolean", required: true },
    { key: "url", type: "string", size: 2048 },
    { key: "updatedAt", type: "datetime", required: true },
  ],
  indexes: [
    { key: "shop_product", attributes: ["shop", "productId"] },
    { key: "shop_updated", attributes: ["shop", "updatedAt"] },
  ],
};

/** The document of a product (null: none belongs in the mirror: deleted, hidden or not indexed). */
export interface MirrorDocument {
  shop: string;
  productId: string;
  handle: string;
  title: string;
  description: string;
  minPrice: number;
  maxPrice: number;
  available: boolean;
  url: string | null;
  updatedAt: string;
}

export function mirrorDocumentOf(
  row: Pick<ProductSync, "shop" | "deleted" | "snapshot" | "indexedContentHash">,
): MirrorDocument | null {
  const product = row.deleted || !row.indexedContentHash ? null : parseSnapshot(row.snapshot);
  if (!product || !isSearchable(product)) return null;
  const prices = product.variants.map((variant) => Number(variant.price)).filter(Number.isFinite);
  return {
    shop: row.shop,
    productId: legacyId(product.id),
    handle: product.handle.slice(0, 255),
    title: product.title.slice(0, 255),
    description: truncateText(htmlToPlainText(product.descriptionHtml), 4990),
    minPrice: prices.length ? Math.min(...prices) : 0,
    maxPrice: prices.length ? Math.max(...prices) : 0,
    available: product.variants.some((variant) => variant.availableForSale),
    url: product.onlineStoreUrl,
    updatedAt: new Date(product.updatedAt).toISOString(),
  };
}

/** The document id: deterministic per shop and product, so every write of a product lands on one document. */
export function mirrorDocumentId(shop: string, productId: string): string {
  return "p" + createHash("sha256").update(`${shop}\u0000${productId}`).digest("hex").slice(0, 35);
}

const hashOf = (document: MirrorDocument) => createHash("sha256").update(JSON.stringify(document)).digest("hex");

export interface ProductMirrorState {
  /** Products the mirror should hold (indexed ones). */
  expected: number;
  /** Documents Appwrite holds for the shop; null when it did not answer. */
  inAppwrite: number | null;
  /** Products whose document waits to be written or deleted. */
  waiting: number;
  lastError: string | null;
}

export interface ProductMirrorDependencies {
  db: PrismaClient;
  client: Client;
  databaseId: string;
  log: Logger;
  settings?: { pollIntervalMs?: number; maxBackoffMs?: number; batchSize?: number };
  /** The clock of the backoff (default: the system's). */
  now?: () => Date;
}

export class ProductMirror {
  private readonly databases: Databases;
  private readying: Promise<void> | null = null;
  private failures = 0;
  private pausedUntil = 0;
  private lastError: string | null = null;
  private readonly settings: { pollIntervalMs: number; maxBackoffMs: number; batchSize: number };
  private readonly now: () => Date;
  private readonly loop = new PollLoop(
    () => this.drain(),
    (error) => this.deps.log.error({ err: error }, "product mirror pass failed"),
  );

  constructor(private readonly deps: ProductMirrorDependencies) {
    this.databases = new Databases(deps.client);
    this.settings = { pollIntervalMs: 1000, maxBackoffMs: 60_000, batchSize: 50, ...deps.settings };
    this.now = deps.now ?? (() => new Date());
  }

  private get db() {
    return this.deps.databaseId;
  }

  /** Creates the collection, its attributes and indexes when missing (memoised; a failure is retried). */
  ready(): Promise<void> {
    this.readying ??= ensureAppwriteSchema(this.databases, this.db, {}, [PRODUCT_MIRROR_COLLECTION]).catch(
      (error: unknown) => {
        this.readying = null;
        throw error;
      },
    );
    return this.readying;
  }

  /**
   * One pass over marked products: writes each one's document (or deletes it) unless the mirror holds
   * that exact document already, then clears the mark of the version it wrote. True when it wrote, false
   * when there was nothing to do or Appwrite is in its backoff, "failed" when Appwrite failed.
   */
  async drain(): Promise<boolean | "failed"> {
    if (this.now().getTime() < this.pausedUntil) return false;
    const rows = await this.deps.db.productSync.findMany({
      where: { mirrorPending: true },
      orderBy: { updatedAt: "asc" },
      take: this.settings.batchSize,
    });
    if (!rows.length) return false;
    try {
      await this.ready();
      for (const row of rows) await this.mirror(row);
    } catch (error) {
      this.failures += 1;
      const wait = backoffMs(this.failures, this.settings.maxBackoffMs);
      this.pausedUntil = this.now().getTime() + wait;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.deps.log.warn({ err: error, retryInMs: wait }, "Appwrite unavailable; the product mirror waits");
      return "failed";
    }
    this.failures = 0;
    this.lastError = null;
    return true;
  }

  private async mirror(row: ProductSync) {
    const document = mirrorDocumentOf(row);
    const hash = document ? hashOf(document) : null;
    if (hash !== row.mirroredHash) {
      const documentId = mirrorDocumentId(row.shop, legacyId(row.productId));
      if (document) await this.put(documentId, { ...document });
      else await this.remove(documentId);
    }
    const { db } = this.deps;
    const key = { shop: row.shop, productId: row.productId };
    const cleared = await db.productSync.updateMany({
      where: { ...key, mirrorVersion: row.mirrorVersion },
      data: { mirrorPending: false, mirroredHash: hash },
    });
    // Marked again meanwhile: what was written is recorded; the next pass writes the newer version.
    if (cleared.count === 0) await db.productSync.updateMany({ where: key, data: { mirroredHash: hash } });
  }

  /** Update, else create (a 409 means another writer created it meanwhile: update that). Any Appwrite version. */
  private async put(documentId: string, data: Record<string, unknown>) {
    const target = { databaseId: this.db, collectionId: COLLECTION, documentId, data };
    try {
      await this.databases.updateDocument(target);
    } catch (error) {
      if (!isAppwriteError(error, 404)) throw error;
      try {
        await this.databases.createDocument(target);
      } catch (created) {
        if (!isAppwriteError(created, 409)) throw created;
        await this.databases.updateDocument(target);
      }
    }
  }

  private async remove(documentId: string) {
    try {
      await this.databases.deleteDocument({ databaseId: this.db, collectionId: COLLECTION, documentId });
    } catch (error) {
      if (!isAppwriteError(error, 404)) throw error;
    }
  }

  private async page(shop: string, cursor: string | null): Promise<Models.DefaultDocument[]> {
    const result = await this.databases.listDocuments<Models.DefaultDocument>({
      databaseId: this.db,
      collectionId: COLLECTION,
      queries: [
        Query.equal("shop", shop),
        Query.orderAsc("$id"),
        Query.limit(PAGE),
        ...(cursor ? [Query.cursorAfter(cursor)] : []),
      ],
    });
    return result.documents;
  }

  private async countInAppwrite(shop: string): Promise<number> {
    await this.ready();
    const result = await this.databases.listDocuments({
      databaseId: this.db,
      collectionId: COLLECTION,
      queries: [Query.equal("shop", shop), Query.limit(1)],
    });
    return result.total;
  }

  private expectedCount(shop: string) {
    return this.deps.db.productSync.count({ where: { shop, deleted: false, indexedContentHash: { not: null } } });
  }

  /**
   * Compares the shop's document count in Appwrite with its indexed products; when they differ, lists
   * both and repairs: a missing document is marked for writing, one of no indexed product is deleted.
   */
  async reconcile(shop: string): Promise<{ expected: number; inAppwrite: number; marked: number; deleted: number }> {
    const [expected, inAppwrite] = await Promise.all([this.expectedCount(shop), this.countInAppwrite(shop)]);
    if (expected === inAppwrite) return { expected, inAppwrite, marked: 0, deleted: 0 };
    const rows = await this.deps.db.productSync.findMany({
      where: { shop },
      select: { productId: true, deleted: true, snapshot: true, indexedContentHash: true, shop: true },
    });
    const wanted = new Map<string, string>(); // document id → ProductSync productId
    for (const row of rows) {
      if (mirrorDocumentOf(row)) wanted.set(mirrorDocumentId(shop, legacyId(row.productId)), row.productId);
    }
    const present = new Set<string>();
    let deleted = 0;
    for (let cursor: string | null = null; ;) {
      const documents = await this.page(shop, cursor);
      for (const document of documents) {
        present.add(document.$id);
        if (!wanted.has(document.$id)) {
          await this.remove(document.$id);
          deleted++;
        }
      }
      if (documents.length < PAGE) break;
      cursor = documents[documents.length - 1].$id;
    }
    const missing = [...wanted].filter(([documentId]) => !present.has(documentId)).map(([, productId]) => productId);
    if (missing.length) {
      await this.deps.db.productSync.updateMany({
        where: { shop, productId: { in: missing } },
        data: { mirrorPending: true, mirrorVersion: { increment: 1 }, mirroredHash: null },
      });
      this.loop.nudge();
    }
    this.deps.log.info({ shop, expected, inAppwrite, marked: missing.length, deleted }, "product mirror reconciled");
    return { expected, inAppwrite, marked: missing.length, deleted };
  }

  /** shop/redact: every document of the shop, page by page (idempotent: a retry deletes what is left). */
  async removeShop(shop: string): Promise<number> {
    await this.ready();
    let removed = 0;
    for (;;) {
      const documents = await this.page(shop, null);
      for (const document of documents) await this.remove(document.$id);
      removed += documents.length;
      if (documents.length < PAGE) break;
    }
    await this.deps.db.productSync.updateMany({ where: { shop }, data: { mirrorPending: false, mirroredHash: null } });
    return removed;
  }

  /** The dashboard's figures for a shop. */
  async state(shop: string): Promise<ProductMirrorState> {
    const [expected, waiting, inAppwrite] = await Promise.all([
      this.expectedCount(shop),
      this.deps.db.productSync.count({ where: { shop, mirrorPending: true } }),
      this.countInAppwrite(shop).catch(() => null),
    ]);
    return { expected, inAppwrite, waiting, lastError: this.lastError };
  }

  /** New marks arrived (the sync worker): skip the idle wait. */
  nudge() {
    this.loop.nudge();
  }

  start() {
    this.loop.start(this.settings.pollIntervalMs);
  }

  stop() {
    return this.loop.stop();
  }
}
