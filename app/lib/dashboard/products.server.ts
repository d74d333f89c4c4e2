// The products table: each product's index state from sync state, and the text that is (or will
// be) embedded — rebuilt with the shop's settings and checked against the indexed content hash.
import type { Prisma, PrismaClient, ProductSync } from "@prisma/client";
import { z } from "zod";
import { buildProductDocument, type DocumentOptions } from "../catalog/product-document";
import { isSearchable } from "../catalog/product";
import { parseSnapshot } from "../sync/product-state.server";
import { FAILED_AFTER_ATTEMPTS } from "../sync/sync-stats.server";

export const PRODUCT_STATES = ["all", "indexed", "pending", "failed", "not_indexed"] as const;
export type ProductStateFilter = (typeof PRODUCT_STATES)[number];
export type ProductIndexState = "indexed" | "pending" | "failed" | "not_indexed" | "deleted";

export const productListQuery = z.object({
  q: z.string().trim().max(200, "Search text must be at most 200 characters").default(""),
  state: z.enum(PRODUCT_STATES, { message: "Unknown state filter" }).default("all"),
  page: z.coerce.number().int().min(1, "Page must be 1 or more").max(100_000).default(1),
});

export type ProductListQuery = z.infer<typeof productListQuery>;

export const PRODUCTS_PER_PAGE = 25;

export interface ProductRow {
  productId: string;
  title: string;
  handle: string | null;
  status: string | null;
  state: ProductIndexState;
  /** Why indexing failed (the last error), when it did. */
  reason: string | null;
  attempts: number;
  /** When the row last settled (for an indexed product: when its index entry was last written). */
  lastIndexedAt: Date | null;
  changeSource: string | null;
}

export interface ProductDetail extends ProductRow {
  /** The embedded text built from the latest snapshot with the shop's settings. */
  text: string | null;
  /** True when that text's hash equals what the index holds: it is exactly the embedded text. */
  textMatchesIndex: boolean;
  keywords: string[];
  searchable: boolean;
}

function stateOf(row: ProductSync): ProductIndexState {
  if (row.deleted) return "deleted";
  if (row.pending) return row.attempts >= FAILED_AFTER_ATTEMPTS ? "failed" : "pending";
  return row.indexedContentHash ? "indexed" : "not_indexed";
}

function toRow(row: ProductSync): ProductRow {
  const product = parseSnapshot(row.snapshot);
  const state = stateOf(row);
  return {
    productId: row.productId,
    title: product?.title ?? "(deleted product)",
    handle: product?.handle ?? null,
    status: product?.status ?? null,
    state,
    reason: row.lastError,
    attempts: row.attempts,
    lastIndexedAt: state === "indexed" ? row.updatedAt : null,
    changeSource: row.changeSource,
  };
}

function whereFor(shop: string, query: ProductListQuery): Prisma.ProductSyncWhereInput {
  const where: Prisma.ProductSyncWhereInput = { shop, deleted: false };
  // The snapshot is the product's JSON: title, handle, SKUs, tags and vendor all match here.
  if (query.q) where.snapshot = { contains: query.q };
  if (query.state === "indexed") Object.assign(where, { pending: false, indexedContentHash: { not: null } });
  if (query.state === "pending") Object.assign(where, { pending: true, attempts: { lt: FAILED_AFTER_ATTEMPTS } });
  if (query.state === "failed") Object.assign(where, { pending: true, attempts: { gte: FAILED_AFTER_ATTEMPTS } });
  if (query.state === "not_indexed") Object.assign(where, { pending: false, indexedContentHash: null });
  return where;
}

export async function listProducts(db: PrismaClient, shop: string, query: ProductListQuery) {
  const where = whereFor(shop, query);
  const [total, rows] = await Promise.all([
    db.productSync.count({ where }),
    db.productSync.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { productId: "asc" }],
      skip: (query.page - 1) * PRODUCTS_PER_PAGE,
      take: PRODUCTS_PER_PAGE,
    }),
  ]);
  return {
    rows: rows.map(toRow),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / PRODUCTS_PER_PAGE)),
  };
}

export async function productDetail(
  db: PrismaClient,
  shop: string,
  productId: string,
  options: DocumentOptions,
): Promise<ProductDetail | null> {
  const row = await db.productSync.findUnique({ where: { shop_productId: { shop, productId } } });
  if (!row) return null;
  const product = parseSnapshot(row.snapshot);
  const document = product ? buildProductDocument(product, options) : null;
  return {
    ...toRow(row),
    text: document?.text ?? null,
    textMatchesIndex: Boolean(document && row.indexedContentHash === document.contentHash),
    keywords: document?.keywords ?? [],
    searchable: product ? isSearchable(product) : false,
  };
}
