// Initial (and on-demand) import as a resumable state machine on the ImportRun row:
// requested → exporting (bulk operation running) → downloading (JSONL streamed into sync state,
// checkpointed at product boundaries) → indexing (the worker drains) → completed | failed.
// Every step can be interrupted at any point (crash, deploy) and is taken up again by whichever
// process next holds the run's lease; re-applying a product is a no-op, so nothing is duplicated.
// A failed attempt (Shopify's export failed, was cancelled or expired, its result file is gone, a
// request failed) is retried after a backoff — from a new export when the old one cannot help —
// until the run's attempt budget is spent (docs/decisions/103). A shop has one active run at a time
// (`activeFor`, unique), however many processes ask; an export that fails part-way has its partial
// result indexed while the run waits for a new one, never treated as the whole catalog (decision 122).
import type { ImportRun, PrismaClient } from "@prisma/client";
import type { Product } from "../catalog/product";
import { BACKGROUND_TRANSACTION } from "../db/transaction-options";
import { isUniqueViolation } from "../db/prisma-errors";
import type { Logger } from "../logger.server";
import { ShopifyUserError, type AdminGraphql } from "../shopify/admin-graphql";
import { assembleBulkProducts } from "../shopify/bulk-jsonl";
import {
  BulkResultUnavailableError,
  downloadJsonlLines,
  getBulkOperation,
  startBulkQuery,
  type FetchFunction,
} from "../shopify/bulk-operation.server";
import { productFromGraphql } from "../shopify/product-from-graphql";
import {
  PRODUCTS_BY_ID,
  productsBulkQuery,
  productsByIdVariables,
  type MetafieldKey,
} from "../shopify/product-queries";
import { applyImportedProducts, applyProductChange } from "./product-state.server";

export const ACTIVE_IMPORT_STATUSES = ["requested", "exporting", "downloading", "indexing"] as const;
const MALFORMED_SAMPLE_LIMIT = 1000;
const CHECKPOINT_EVERY = 100;

export interface ImportRetryPolicy {
  /** Failed attempts a run may have: the one that reaches this number ends the run as failed. */
  attempts: number;
  /** Wait after the first failure; it doubles with each further one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_IMPORT_RETRY: ImportRetryPolicy = { attempts: 6, baseDelayMs: 15_000, maxDelayMs: 300_000 };

export interface ImportDependencies {
  db: PrismaClient;
  log: Logger;
  adminFor: (shop: string) => Promise<AdminGraphql>;
  fetchResult?: FetchFunction;
  metafieldKeys?: readonly MetafieldKey[];
  leaseMs?: number;
  retry?: ImportRetryPolicy;
}

/** What a run looks like again when its export has to be made anew. */
const FRESH_EXPORT = {
  status: "requested",
  bulkOperationId: null,
  resultUrl: null,
  total: null,
  objectCount: 0,
  linesDone: 0,
  productsDone: 0,
  malformedLines: 0,
  malformedSample: null,
  exportFinishedAt: null,
} as const;

/** Another worker took the run over (this one was too slow to renew its lease): not a failed attempt. */
class LeaseLostError extends Error {
  constructor() {
    super("import lease lost to another worker");
    this.name = "LeaseLostError";
  }
}

interface MalformedEntry {
  line: number;
  reason: string;
  productId?: string;
}

/** What a run's row says once it has ended: it no longer holds the shop's one active place. */
const ended = () => ({ activeFor: null, retryAt: null, finishedAt: new Date() });

/**
 * Starts an import unless one is already under way for the shop (then that one is returned). Two
 * processes asking at the same moment get the same run: the unique `activeFor` lets one create it.
 */
export async function requestImport(db: PrismaClient, shop: string): Promise<ImportRun> {
  const active = () => db.importRun.findUnique({ where: { activeFor: shop } });
  for (let tries = 0; ; tries++) {
    const existing = await active();
    if (existing && (ACTIVE_IMPORT_STATUSES as readonly string[]).includes(existing.status)) return existing;
    // A run that ended without giving up its place (a write this module does not make): free it.
    if (existing) await db.importRun.updateMany({ where: { id: existing.id }, data: { activeFor: null } });
    try {
      return await db.importRun.create({ data: { shop, status: "requested", activeFor: shop } });
    } catch (error) {
      // Another process created the shop's run since the look-up (or it ended just now): look again.
      if (!isUniqueViolation(error) || tries >= 3) throw error;
    }
  }
}

/** Takes the run's lease (conditional update), or returns null when another worker holds it. */
async function leaseRun(db: PrismaClient, runId: string, owner: string, leaseMs: number): Promise<ImportRun | null> {
  const now = new Date();
  const taken = await db.importRun.updateMany({
    where: {
      id: runId,
      status: { in: [...ACTIVE_IMPORT_STATUSES] },
      AND: [
        { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }, { leaseOwner: owner }] },
        { OR: [{ retryAt: null }, { retryAt: { lte: now } }] },
      ],
    },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return taken.count ? db.importRun.findUnique({ where: { id: runId } }) : null;
}

const releaseRun = (db: PrismaClient, runId: string, owner: string) =>
  db.importRun.updateMany({ where: { id: runId, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });

/**
 * Moves one run forward as far as it can go now. Returns the run's status afterwards.
 * `owner` identifies the caller's lease; the lease is renewed at every checkpoint.
 */
export async function advanceImport(deps: ImportDependencies, runId: string, owner: string): Promise<string> {
  const { db } = deps;
  const leaseMs = deps.leaseMs ?? 120_000;
  let run = await leaseRun(db, runId, owner, leaseMs);
  if (!run) return (await db.importRun.findUnique({ where: { id: runId } }))?.status ?? "missing";
  const log = deps.log.child({ shop: run.shop, importId: run.id });
  try {
    if (run.status === "requested") run = await startExport(deps, run);
    if (run.status === "exporting") run = await checkExport(deps, run);
    if (run.status === "downloading") run = await download(deps, run, owner, leaseMs, log);
    if (run.status === "indexing") run = await checkIndexed(db, run);
    return run.status;
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    // The step may have moved the run on before failing: the retry starts from what is stored.
    const current = (await db.importRun.findUnique({ where: { id: run.id } })) ?? run;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ err: error, status: current.status }, "import step failed");
    return (await retryLater(deps, current, reason, { reexport: error instanceof BulkResultUnavailableError })).status;
  } finally {
    await releaseRun(db, runId, owner);
  }
}

async function startExport(deps: ImportDependencies, run: ImportRun): Promise<ImportRun> {
  const admin = await deps.adminFor(run.shop);
  let bulkOperationId: string;
  try {
    bulkOperationId = await startBulkQuery(admin, productsBulkQuery(deps.metafieldKeys));
  } catch (error) {
    // The app's bulk queries in this shop are at Shopify's cap (five at once from API 2026-01, one
    // before; the docs do not say which of the two codes the cap answers): try again later. Anything
    // else Shopify refuses will not get better by retrying.
    const busy =
      error instanceof ShopifyUserError &&
      error.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED");
    if (busy) {
      // Not a failure of this run: the other bulk queries end.
      return retryLater(deps, run, "waiting for other bulk exports of this app to finish", {
        reexport: false,
        counts: false,
      });
    }
    if (error instanceof ShopifyUserError) return fail(deps.db, run, error.message);
    throw error;
  }
  deps.log.info({ shop: run.shop, bulkOperationId }, "bulk export started");
  return deps.db.importRun.update({
    where: { id: run.id },
    data: { status: "exporting", bulkOperationId, error: null, retryAt: null },
  });
}

async function checkExport(deps: ImportDependencies, run: ImportRun): Promise<ImportRun> {
  const admin = await deps.adminFor(run.shop);
  const op = await getBulkOperation(admin, run.bulkOperationId!);
  if (!op) return retryLater(deps, run, `bulk operation ${run.bulkOperationId} not found`, { reexport: true });
  if (op.status === "COMPLETED") {
    return deps.db.importRun.update({
      where: { id: run.id },
      data: {
        status: "downloading",
        resultUrl: op.url,
        total: op.rootObjectCount,
        objectCount: op.objectCount,
        exportFinishedAt: new Date(),
        error: null,
      },
    });
  }
  if (op.status === "FAILED" || op.status === "CANCELED" || op.status === "EXPIRED") {
    let reason = `Shopify's export ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ""}`;
    // A missing permission stays missing until the merchant grants it; anything else may pass.
    if (op.errorCode === "ACCESS_DENIED") {
      return fail(deps.db, run, `${reason}: the app lacks a permission it needs to read products`);
    }
    if (op.status === "FAILED" && op.partialDataUrl) {
      const applied = await applyPartialResult(deps, run, op.partialDataUrl);
      if (applied !== null) reason += `; ${applied} products of its partial result indexed meanwhile`;
    }
    return retryLater(deps, run, reason, { reexport: true });
  }
  return deps.db.importRun.update({ where: { id: run.id }, data: { objectCount: op.objectCount } });
}

function fail(db: PrismaClient, run: ImportRun, error: string, attempts = run.attempts) {
  return db.importRun.update({
    where: { id: run.id },
    data: { status: "failed", error: error.slice(0, 500), attempts, ...ended() },
  });
}

/**
 * A failed export's partial result (`partialDataUrl`): its products are current data, so they are
 * applied (a new shop is not left empty while the new export runs) — all but the last one, which the
 * failure may have cut short (some of its variants missing). Nothing else follows from the file: it
 * is not the catalog, so no product is removed for missing from it and the run does not complete.
 * Best effort: a file that cannot be read is skipped (the new export brings everything). Returns
 * the number of products applied, or null when the file could not be read.
 */
async function applyPartialResult(deps: ImportDependencies, run: ImportRun, url: string): Promise<number | null> {
  const log = deps.log.child({ shop: run.shop, importId: run.id });
  let held: Product | null = null;
  let batch: Product[] = [];
  let applied = 0;
  const commit = async () => {
    const products = batch;
    batch = [];
    if (!products.length) return;
    await deps.db.$transaction((tx) => applyImportedProducts(tx, run.shop, products, run.id), {
      ...BACKGROUND_TRANSACTION,
      timeout: 60_000,
    });
    applied += products.length;
  };
  try {
    for await (const event of assembleBulkProducts(downloadJsonlLines(url, deps.fetchResult))) {
      // Unreadable lines (the cut one among them) are left to the new export.
      if (event.type !== "product") continue;
      if (held) batch.push(held);
      held = event.product;
      if (batch.length >= CHECKPOINT_EVERY) await commit();
    }
    await commit();
  } catch (error) {
    log.warn({ err: error, applied }, "partial export result not read; the new export brings it");
    return applied || null;
  }
  log.info({ products: applied }, "partial export result applied");
  return applied;
}

/**
 * A failed attempt: the run waits (exponential backoff) and goes on from where it is, or from a new
 * export when `reexport`; the attempt that spends the budget fails the run. `counts: false` waits
 * without spending the budget (Shopify busy with another export of the app).
 */
async function retryLater(
  deps: ImportDependencies,
  run: ImportRun,
  reason: string,
  options: { reexport: boolean; counts?: boolean },
): Promise<ImportRun> {
  const policy = deps.retry ?? DEFAULT_IMPORT_RETRY;
  const attempts = run.attempts + (options.counts === false ? 0 : 1);
  if (attempts >= policy.attempts) {
    deps.log.error({ shop: run.shop, importId: run.id, attempts, reason }, "import failed: no attempts left");
    return fail(deps.db, run, `${reason} (gave up after ${attempts} failed attempts)`, attempts);
  }
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const retryAt = new Date(Date.now() + delay);
  deps.log.warn(
    { shop: run.shop, importId: run.id, attempts, retryAt, reexport: options.reexport, reason },
    "import attempt failed; retrying",
  );
  return deps.db.importRun.update({
    where: { id: run.id },
    data: { ...(options.reexport ? FRESH_EXPORT : {}), attempts, retryAt, error: reason.slice(0, 500) },
  });
}

async function download(
  deps: ImportDependencies,
  run: ImportRun,
  owner: string,
  leaseMs: number,
  log: Logger,
): Promise<ImportRun> {
  const { db } = deps;
  const malformed: MalformedEntry[] = run.malformedSample ? JSON.parse(run.malformedSample) : [];
  let { linesDone, productsDone, malformedLines } = run;
  let batch: Product[] = [];
  // One transaction per batch: the products and the resume point are written together, so a crash
  // resumes exactly after the last committed batch (and SQLite syncs once per batch, not per row).
  const commit = async () => {
    const products = batch;
    batch = [];
    await db.$transaction(
      async (tx) => {
        await applyImportedProducts(tx, run.shop, products, run.id);
        const saved = await tx.importRun.updateMany({
          where: { id: run.id, leaseOwner: owner },
          data: {
            linesDone,
            productsDone,
            malformedLines,
            malformedSample: JSON.stringify(malformed),
            leaseUntil: new Date(Date.now() + leaseMs),
          },
        });
        if (!saved.count) throw new LeaseLostError();
      },
      { ...BACKGROUND_TRANSACTION, timeout: 60_000 },
    );
  };
  // An empty catalog has no result file.
  if (run.resultUrl) {
    for await (const event of assembleBulkProducts(downloadJsonlLines(run.resultUrl, deps.fetchResult), linesDone)) {
      if (event.type === "malformed") {
        malformedLines++;
        if (malformed.length < MALFORMED_SAMPLE_LIMIT)
          malformed.push({ line: event.line, reason: event.reason, productId: event.productId });
        log.warn({ line: event.line, reason: event.reason }, "malformed bulk export line skipped");
        continue;
      }
      batch.push(event.product);
      linesDone = event.linesThrough;
      productsDone++;
      if (batch.length >= CHECKPOINT_EVERY) await commit();
    }
  }
  await commit();
  await refetchIncomplete(deps, run, malformed);
  // Products the store no longer has (deleted while the app was away): out of the index. Ones
  // created or changed after the export started may be missing from it legitimately: kept.
  const extras = await db.productSync.findMany({
    where: {
      shop: run.shop,
      deleted: false,
      shopifyUpdatedAt: { lt: run.startedAt },
      OR: [{ seenInImportId: null }, { seenInImportId: { not: run.id } }],
    },
    select: { productId: true },
  });
  for (const { productId } of extras) {
    await applyProductChange(db, run.shop, { kind: "delete", productId, source: "import" });
  }
  log.info({ products: productsDone, malformedLines, removedExtras: extras.length }, "bulk export applied");
  return db.importRun.update({
    where: { id: run.id },
    data: { status: "indexing", downloadedAt: new Date(), removedExtras: extras.length, productsDone },
  });
}

/** Products with an unreadable line inside (or orphaned children) are fetched again by id. */
async function refetchIncomplete(deps: ImportDependencies, run: ImportRun, malformed: MalformedEntry[]) {
  const ids = [...new Set(malformed.flatMap((m) => (m.productId ? [m.productId] : [])))];
  if (!ids.length) return;
  const admin = await deps.adminFor(run.shop);
  for (let start = 0; start < ids.length; start += 50) {
    const data = await admin.query(
      PRODUCTS_BY_ID,
      productsByIdVariables(ids.slice(start, start + 50), deps.metafieldKeys),
    );
    for (const node of data.nodes) {
      if (!node) continue;
      await applyProductChange(deps.db, run.shop, {
        kind: "upsert",
        product: productFromGraphql(node),
        partial: false,
        source: "import",
        importId: run.id,
      });
    }
  }
}

async function checkIndexed(db: PrismaClient, run: ImportRun): Promise<ImportRun> {
  const pending = await db.productSync.count({ where: { shop: run.shop, seenInImportId: run.id, pending: true } });
  if (pending) return run;
  await db.syncShopStats.upsert({
    where: { shop: run.shop },
    create: { shop: run.shop, productsInShopify: run.productsDone },
    update: { productsInShopify: run.productsDone },
  });
  return db.importRun.update({ where: { id: run.id }, data: { status: "completed", ...ended() } });
}

/** bulk_operations/finish: the run whose export it is gets looked at now rather than at the next poll. */
export async function findRunForBulkOperation(db: PrismaClient, shop: string, bulkOperationId: string) {
  return db.importRun.findFirst({ where: { shop, bulkOperationId, status: "exporting" } });
}
