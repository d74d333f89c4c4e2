// Reconciliation: compares Shopify (every product's id + updatedAt) with sync state, and sync
// state with what the index holds; repairs what differs and records the drift it found.
// Missed webhooks (missing/stale), deletions never delivered (extra) and index writes lost
// outside sync (index) all end up here.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import type { ProductIndex } from "../search/product-index";
import type { AdminAnswer, AdminGraphql } from "../shopify/admin-graphql";
import { productFromGraphql } from "../shopify/product-from-graphql";
import {
  PRODUCT_VERSIONS_PAGE,
  PRODUCTS_BY_ID,
  productsByIdVariables,
  type MetafieldKey,
} from "../shopify/product-queries";
import { applyProductChange, requeueProducts, TIED_WEBHOOK_SOURCE } from "./product-state.server";

export interface ReconcileDependencies {
  db: PrismaClient;
  log: Logger;
  index: ProductIndex;
  adminFor: (shop: string) => Promise<AdminGraphql>;
  metafieldKeys?: readonly MetafieldKey[];
}

export interface DriftReport {
  productsInShopify: number;
  /** In Shopify, unknown locally. */
  missing: number;
  /** Known locally, gone from Shopify. */
  extra: number;
  /** Shopify has a newer version than sync state. */
  stale: number;
  /** The index disagrees with sync state (lost or unexpected entries). */
  index: number;
  total: number;
}

const FETCH_BATCH = 50;

async function shopifyVersions(admin: AdminGraphql): Promise<Map<string, Date>> {
  const versions = new Map<string, Date>();
  let after: string | null = null;
  for (;;) {
    const page: AdminAnswer<typeof PRODUCT_VERSIONS_PAGE> = await admin.query(PRODUCT_VERSIONS_PAGE, { after });
    for (const node of page.products.nodes) versions.set(node.id, new Date(node.updatedAt));
    if (!page.products.pageInfo.hasNextPage) return versions;
    after = page.products.pageInfo.endCursor ?? null;
  }
}

async function fetchAndApply(deps: ReconcileDependencies, admin: AdminGraphql, shop: string, ids: string[]) {
  for (let start = 0; start < ids.length; start += FETCH_BATCH) {
    const data = await admin.query(
      PRODUCTS_BY_ID,
      productsByIdVariables(ids.slice(start, start + FETCH_BATCH), deps.metafieldKeys),
    );
    for (const node of data.nodes) {
      if (node)
        await applyProductChange(deps.db, shop, {
          kind: "upsert",
          product: productFromGraphql(node),
          partial: false,
          source: "reconcile",
        });
    }
  }
}

export async function reconcileShop(
  deps: ReconcileDependencies,
  shop: string,
  nextRunInMs?: number,
): Promise<DriftReport> {
  const { db, index } = deps;
  const log = deps.log.child({ shop });
  const startedAt = new Date();
  const admin = await deps.adminFor(shop);
  const remote = await shopifyVersions(admin);
  const local = await db.productSync.findMany({
    where: { shop },
    select: { productId: true, shopifyUpdatedAt: true, deleted: true, pending: true, indexedContentHash: true },
  });
  const localById = new Map(local.map((row) => [row.productId, row]));

  const missing: string[] = [];
  const stale: string[] = [];
  for (const [id, updatedAt] of remote) {
    const row = localById.get(id);
    if (!row || row.deleted || !row.shopifyUpdatedAt) missing.push(id);
    else if (row.shopifyUpdatedAt < updatedAt) stale.push(id);
  }
  // Changed after the listing began: a webhook is on its way or already applied; not drift.
  const extra = local.filter(
    (row) => !row.deleted && !remote.has(row.productId) && (!row.shopifyUpdatedAt || row.shopifyUpdatedAt < startedAt),
  );

  await fetchAndApply(deps, admin, shop, [...missing, ...stale]);
  for (const row of extra)
    await applyProductChange(db, shop, { kind: "delete", productId: row.productId, source: "reconcile" });

  // Index vs state, for rows the worker is not about to touch anyway.
  const indexed = new Set(await index.listProductIds(shop));
  const settled = local.filter((row) => !row.pending);
  const lost = settled.filter((row) => row.indexedContentHash && !indexed.has(row.productId)).map((r) => r.productId);
  const unexpected = settled
    .filter((row) => !row.indexedContentHash && indexed.has(row.productId))
    .map((r) => r.productId);
  const unknownToState = [...indexed].filter((id) => !localById.has(id));
  await requeueProducts(db, shop, lost, "missing");
  await requeueProducts(db, shop, unexpected, "unexpected");
  if (unknownToState.length) await index.remove(shop, unknownToState);

  const report: DriftReport = {
    productsInShopify: remote.size,
    missing: missing.length,
    extra: extra.length,
    stale: stale.length,
    index: lost.length + unexpected.length + unknownToState.length,
    total: 0,
  };
  report.total = report.missing + report.extra + report.stale + report.index;
  const stats = {
    productsInShopify: report.productsInShopify,
    lastReconcileAt: startedAt,
    nextReconcileAt: nextRunInMs ? new Date(startedAt.getTime() + nextRunInMs) : null,
    lastDriftMissing: report.missing,
    lastDriftExtra: report.extra,
    lastDriftStale: report.stale,
    lastDriftIndex: report.index,
  };
  await db.syncShopStats.upsert({ where: { shop }, create: { shop, ...stats }, update: stats });
  log.info({ ...report }, "reconciliation done");
  return report;
}

/**
 * Products whose last two webhook versions carried the same `updatedAt` second are fetched again from
 * Shopify once the deliveries have settled, so the index ends on the store's real current version
 * whatever order the two arrived in. The mark is cleared first (a tie arriving meanwhile marks it
 * again) and restored if the fetch fails. Returns how many products were verified.
 */
export async function verifyTiedChanges(deps: ReconcileDependencies, shop: string, settleMs: number): Promise<number> {
  const rows = await deps.db.productSync.findMany({
    where: { shop, changeSource: TIED_WEBHOOK_SOURCE, updatedAt: { lt: new Date(Date.now() - settleMs) } },
    select: { productId: true, version: true },
  });
  if (!rows.length) return 0;
  await deps.db.productSync.updateMany({
    where: {
      shop,
      changeSource: TIED_WEBHOOK_SOURCE,
      OR: rows.map((row) => ({ productId: row.productId, version: row.version })),
    },
    data: { changeSource: "reconcile" },
  });
  const ids = rows.map((row) => row.productId);
  try {
    await fetchAndApply(deps, await deps.adminFor(shop), shop, ids);
  } catch (error) {
    await deps.db.productSync.updateMany({
      where: { shop, productId: { in: ids }, changeSource: "reconcile" },
      data: { changeSource: TIED_WEBHOOK_SOURCE },
    });
    throw error;
  }
  deps.log.info({ shop, products: ids.length }, "same-second webhook versions verified against Shopify");
  return ids.length;
}
