// Per-product sync state (the ProductSync table): every source of change (webhook, bulk import,
// reconciliation) goes through `applyProductChange`, which accepts a version only when it is newer
// than what is known. Conditional updates make it safe for concurrent requests and workers on
// SQLite and Postgres; replays and stale deliveries change nothing.
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "../db/prisma-errors";
import type { Product } from "../catalog/product";

export type ChangeSource = "webhook" | "import" | "reconcile";

/** `changeSource` of a product whose last webhook had the same `updatedAt` as the version before it. */
export const TIED_WEBHOOK_SOURCE = "webhook-tie";

export type ProductChange =
  | {
      kind: "upsert";
      product: Product;
      /** From a REST webhook: collections, metafields and the online store URL are unknown. */
      partial: boolean;
      source: ChangeSource;
      /** The import run that exported this product (it is then not an "extra" at the end of the run). */
      importId?: string;
      receivedAt?: Date;
    }
  | { kind: "delete"; productId: string; source: ChangeSource; receivedAt?: Date };

/** accepted: state changed, work is pending. stale: an older version or a deleted product. unchanged: same content. */
export type ApplyResult = "accepted" | "stale" | "unchanged";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** REST webhooks do not carry collections, metafields or the storefront URL: keep the last known ones. */
export function completeFromPrevious(product: Product, previous: Product | null): Product {
  return {
    ...product,
    collections: product.collections ?? previous?.collections ?? null,
    metafields: previous?.metafields ?? [],
    onlineStoreUrl: product.publishedOnline ? (previous?.onlineStoreUrl ?? null) : null,
  };
}

export function parseSnapshot(snapshot: string | null): Product | null {
  return snapshot ? (JSON.parse(snapshot) as Product) : null;
}

export async function applyProductChange(
  db: Prisma.TransactionClient,
  shop: string,
  change: ProductChange,
  attempt = 0,
): Promise<ApplyResult> {
  const productId = change.kind === "upsert" ? change.product.id : change.productId;
  const now = change.receivedAt ?? new Date();
  const key = { shop_productId: { shop, productId } };
  const existing = await db.productSync.findUnique({
    where: key,
    select: {
      snapshot: true,
      snapshotHash: true,
      shopifyUpdatedAt: true,
      deleted: true,
      pending: true,
      changedAt: true,
    },
  });

  if (change.kind === "delete") {
    if (existing?.deleted) return "unchanged";
    if (!existing) {
      try {
        // A tombstone, so a late create/update of this id is recognised as stale.
        await db.productSync.create({
          data: { shop, productId, deleted: true, pending: false, changeSource: change.source },
        });
        return "accepted";
      } catch (error) {
        if (isUniqueViolation(error) && attempt < 3) return applyProductChange(db, shop, change, attempt + 1);
        throw error;
      }
    }
    await db.productSync.updateMany({
      where: { shop, productId, deleted: false },
      data: {
        deleted: true,
        snapshot: null,
        snapshotHash: null,
        version: { increment: 1 },
        pending: true,
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        changeSource: change.source,
        ...(existing.pending && existing.changedAt ? {} : { changedAt: now }),
      },
    });
    return "accepted";
  }

  const incomingAt = new Date(change.product.updatedAt);
  if (Number.isNaN(incomingAt.getTime())) throw new Error(`product ${productId} has no valid updatedAt`);
  const seen = change.importId ? { seenInImportId: change.importId } : {};
  if (existing?.deleted) return "stale";
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > incomingAt) {
    if (change.importId) await db.productSync.update({ where: key, data: seen });
    return "stale";
  }
  const product = change.partial
    ? completeFromPrevious(change.product, parseSnapshot(existing?.snapshot ?? null))
    : change.product;
  const snapshot = JSON.stringify(product);
  const snapshotHash = sha256(snapshot);
  if (existing?.snapshotHash === snapshotHash) {
    if (change.importId) await db.productSync.update({ where: key, data: seen });
    return "unchanged";
  }
  // Two different webhook versions within one second of `updatedAt` (Shopify's resolution): which is newer
  // cannot be told from the deliveries, so the product is marked to be fetched again (verifyTiedChanges).
  const tied = change.source === "webhook" && existing?.shopifyUpdatedAt?.getTime() === incomingAt.getTime();
  const data = {
    snapshot,
    snapshotHash,
    shopifyUpdatedAt: incomingAt,
    pending: true,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    changeSource: tied ? TIED_WEBHOOK_SOURCE : change.source,
    ...seen,
  };
  if (!existing) {
    try {
      await db.productSync.create({ data: { shop, productId, ...data, version: 1, changedAt: now } });
      return "accepted";
    } catch (error) {
      if (isUniqueViolation(error) && attempt < 3) return applyProductChange(db, shop, change, attempt + 1);
      throw error;
    }
  }
  const updated = await db.productSync.updateMany({
    where: {
      shop,
      productId,
      deleted: false,
      // Newer wins; at the same second (Shopify's resolution) the last different content wins.
      OR: [
        { shopifyUpdatedAt: null },
        { shopifyUpdatedAt: { lt: incomingAt } },
        { shopifyUpdatedAt: incomingAt, NOT: { snapshotHash } },
      ],
    },
    data: {
      ...data,
      version: { increment: 1 },
      ...(existing.pending && existing.changedAt ? {} : { changedAt: now }),
    },
  });
  return updated.count === 1 ? "accepted" : "stale";
}

/** What the index holds contradicts the state: "missing" = re-upsert, "unexpected" = the worker removes it. */
export type IndexDrift = "missing" | "unexpected";

/** A placeholder hash meaning "something of unknown content is in the index". */
export const UNKNOWN_INDEXED = "unknown";

/** The update that sends a known product through the worker again, from the first attempt, now. */
function anotherPass(changeSource: string) {
  return { pending: true, attempts: 0, nextAttemptAt: new Date(), version: { increment: 1 }, changeSource };
}

/** Marks products for another pass of the worker (index drift found by reconciliation). */
export async function requeueProducts(db: PrismaClient, shop: string, productIds: string[], drift: IndexDrift) {
  if (!productIds.length) return;
  await db.productSync.updateMany({
    where: { shop, productId: { in: productIds } },
    data: {
      ...anotherPass("reconcile"),
      ...(drift === "missing"
        ? { indexedContentHash: null, indexedMetadataHash: null }
        : { indexedContentHash: UNKNOWN_INDEXED, indexedMetadataHash: UNKNOWN_INDEXED }),
    },
  });
}

/**
 * A batch of full products from one import: products never seen before are inserted in one
 * statement; known ones go through `applyProductChange` (newest wins). Call inside a transaction.
 */
export async function applyImportedProducts(
  db: Prisma.TransactionClient,
  shop: string,
  products: Product[],
  importId: string,
): Promise<void> {
  const known = new Set(
    (
      await db.productSync.findMany({
        where: { shop, productId: { in: products.map((p) => p.id) } },
        select: { productId: true },
      })
    ).map((row) => row.productId),
  );
  const now = new Date();
  const fresh = products.filter((p) => !known.has(p.id));
  if (fresh.length) {
    await db.productSync.createMany({
      data: fresh.map((product) => {
        const snapshot = JSON.stringify(product);
        return {
          shop,
          productId: product.id,
          snapshot,
          snapshotHash: sha256(snapshot),
          shopifyUpdatedAt: new Date(product.updatedAt),
          version: 1,
          pending: true,
          changedAt: now,
          nextAttemptAt: now,
          changeSource: "import",
          seenInImportId: importId,
        };
      }),
    });
  }
  for (const product of products.filter((p) => known.has(p.id))) {
    await applyProductChange(db, shop, { kind: "upsert", product, partial: false, source: "import", importId });
  }
}

/**
 * Every product of the shop gets another worker pass (e.g. the merchant changed which fields are
 * indexed): the worker rebuilds each document and embeds only those whose text changed.
 */
export async function requeueShop(db: Prisma.TransactionClient, shop: string): Promise<number> {
  const { count } = await db.productSync.updateMany({
    where: { shop, deleted: false, snapshot: { not: null } },
    data: anotherPass("settings"),
  });
  return count;
}
