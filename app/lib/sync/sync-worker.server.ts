// Drains ProductSync rows with pending work. A worker claims a batch with a lease (one conditional
// UPDATE: safe with any number of workers and processes, on SQLite and Postgres), decides per
// product from the hashes what the index needs (embed, metadata only, remove, nothing), makes one
// index call per kind for the whole batch, and clears `pending` only for the version it processed.
// Failures (Chroma or the embedder down) keep the rows pending with backoff: nothing is lost.
import { randomUUID } from "node:crypto";
import type { PrismaClient, ProductSync } from "@prisma/client";
import { BACKGROUND_TRANSACTION } from "../db/transaction-options";
import { PollLoop } from "../jobs/poll-loop";
import { isSearchable } from "../catalog/product";
import { buildProductDocument, type DocumentOptions, type ProductDocument } from "../catalog/product-document";
import type { Logger } from "../logger.server";
import { ProductIndexError } from "../search/product-index";
import type { ProductIndex } from "../search/product-index";
import { parseSnapshot } from "./product-state.server";
import { recordIndexWork } from "./sync-stats.server";

export interface SyncWorkerOptions {
  db: PrismaClient;
  index: ProductIndex;
  log: Logger;
  batchSize?: number;
  leaseMs?: number;
  maxBackoffMs?: number;
  /** Per-shop document settings (indexed fields) — from the assistant settings once they exist. */
  documentOptions?: (shop: string) => Promise<DocumentOptions> | DocumentOptions;
  /** APPWRITE_PRODUCTS: every product the worker finishes is marked for the mirror, which is then woken. */
  mirror?: { nudge(): void };
  /** The clock of claims, leases and the backoff (default: the system's). */
  now?: () => Date;
}

export interface DrainResult {
  claimed: number;
  embedded: number;
  metadataUpdated: number;
  removed: number;
  unchanged: number;
  failed: number;
}

type Plan = { row: ProductSync; document: ProductDocument | null; action: "upsert" | "metadata" | "remove" | "none" };

/** Rows per transaction when a batch is recorded as indexed (see `complete`). */
const COMPLETE_CHUNK = 16;

const emptyResult = (): DrainResult => ({
  claimed: 0,
  embedded: 0,
  metadataUpdated: 0,
  removed: 0,
  unchanged: 0,
  failed: 0,
});

export function backoffMs(attempts: number, maxBackoffMs: number): number {
  const base = Math.min(maxBackoffMs, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export class SyncWorker {
  readonly id = `worker-${randomUUID()}`;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => Date;
  private readonly loop = new PollLoop(
    async () => {
      const result = await this.drainOnce();
      return result.failed > 0 ? "failed" : result.claimed > 0;
    },
    (error) => this.options.log.error({ err: error }, "sync worker pass failed"),
  );

  constructor(private readonly options: SyncWorkerOptions) {
    this.batchSize = options.batchSize ?? 64;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 300_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Claims rows whose turn has come; a claim lost to another worker is retried on the next rows. */
  private async claim(): Promise<ProductSync[]> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const claimed = await this.claimOnce();
      if (claimed === null) return [];
      if (claimed.length) return claimed;
    }
    return [];
  }

  /** null: nothing is due. []: every candidate was taken by another worker meanwhile. */
  private async claimOnce(): Promise<ProductSync[] | null> {
    const { db } = this.options;
    const now = this.now();
    const uninstalled = await db.shop.findMany({ where: { uninstalledAt: { not: null } }, select: { domain: true } });
    const leaseFree = [{ leaseUntil: null }, { leaseUntil: { lt: now } }];
    const candidates = await db.productSync.findMany({
      where: {
        pending: true,
        nextAttemptAt: { lte: now },
        OR: leaseFree,
        ...(uninstalled.length ? { shop: { notIn: uninstalled.map((s) => s.domain) } } : {}),
      },
      select: { shop: true, productId: true },
      orderBy: { nextAttemptAt: "asc" },
      take: this.batchSize,
    });
    if (!candidates.length) return null;
    const token = `${this.id}:${randomUUID()}`;
    await db.productSync.updateMany({
      where: { pending: true, AND: [{ OR: candidates }, { OR: leaseFree }] },
      data: { leaseOwner: token, leaseUntil: new Date(now.getTime() + this.leaseMs) },
    });
    return db.productSync.findMany({ where: { leaseOwner: token } });
  }

  private async plan(row: ProductSync): Promise<Plan> {
    const product = row.deleted ? null : parseSnapshot(row.snapshot);
    if (!product || !isSearchable(product)) {
      return { row, document: null, action: row.indexedContentHash ? "remove" : "none" };
    }
    const document = buildProductDocument(product, await this.options.documentOptions?.(row.shop));
    if (row.indexedContentHash !== document.contentHash) return { row, document, action: "upsert" };
    if (row.indexedMetadataHash !== document.metadataHash) return { row, document, action: "metadata" };
    return { row, document, action: "none" };
  }

  /** One batch: claim, decide, index, record. Returns what happened (0 claimed = nothing to do). */
  async drainOnce(): Promise<DrainResult> {
    const rows = await this.claim();
    const result = emptyResult();
    result.claimed = rows.length;
    const byShop = new Map<string, ProductSync[]>();
    for (const row of rows) byShop.set(row.shop, [...(byShop.get(row.shop) ?? []), row]);
    for (const [shop, shopRows] of byShop) await this.processShop(shop, shopRows, result);
    if (result.claimed) this.options.log.debug({ worker: this.id, ...result }, "sync batch done");
    return result;
  }

  private async processShop(shop: string, rows: ProductSync[], result: DrainResult) {
    const { index, log } = this.options;
    const plans: Plan[] = [];
    for (const row of rows) {
      try {
        plans.push(await this.plan(row));
      } catch (error) {
        await this.fail([row], error);
        result.failed++;
      }
    }
    const group = (action: Plan["action"]) => plans.filter((p) => p.action === action);
    const steps: [Plan[], () => Promise<unknown>, "embedded" | "metadataUpdated" | "removed" | "unchanged"][] = [
      [
        group("upsert"),
        () =>
          index.upsert(
            shop,
            group("upsert").map((p) => p.document!),
          ),
        "embedded",
      ],
      [
        group("metadata"),
        () =>
          index.updateMetadata(
            shop,
            group("metadata").map((p) => p.document!),
          ),
        "metadataUpdated",
      ],
      [
        group("remove"),
        () =>
          index.remove(
            shop,
            group("remove").map((p) => p.row.productId),
          ),
        "removed",
      ],
      [group("none"), async () => {}, "unchanged"],
    ];
    for (const [batch, call, counter] of steps) {
      if (!batch.length) continue;
      try {
        await call();
      } catch (error) {
        log.warn({ shop, products: batch.length, err: error }, `index ${counter} failed; will retry`);
        // The index lost products we believed indexed: the next pass embeds them again.
        const forgetIndexed = counter === "metadataUpdated" && error instanceof ProductIndexError;
        await this.fail(
          batch.map((p) => p.row),
          error,
          forgetIndexed,
        );
        result.failed += batch.length;
        continue;
      }
      await this.complete(batch);
      result[counter] += batch.length;
      if (counter !== "unchanged")
        await recordIndexWork(
          this.options.db,
          shop,
          counter,
          batch.map((p) => p.document),
        );
    }
  }

  /** Records what the index now holds; clears `pending` unless a newer change arrived meanwhile. */
  private async complete(plans: Plan[]) {
    // A few transactions of COMPLETE_CHUNK rows, not one for the batch: on SQLite a transaction holds the
    // process's one connection, and webhooks arriving meanwhile wait for all of its statements.
    for (let i = 0; i < plans.length; i += COMPLETE_CHUNK) await this.completeChunk(plans.slice(i, i + COMPLETE_CHUNK));
  }

  private async completeChunk(plans: Plan[]) {
    const { db, mirror } = this.options;
    // After the index write, never in the webhook request: the mirror writes from the snapshot (decision 120).
    const mirrorMark = mirror ? { mirrorPending: true, mirrorVersion: { increment: 1 } } : {};
    const now = this.now();
    const lags: { shop: string; lagMs: number }[] = [];
    // One transaction for the chunk: one sync of SQLite instead of one per product.
    await db.$transaction(
      async (tx) => {
        for (const { row, document } of plans) {
          const indexed = document
            ? { indexedContentHash: document.contentHash, indexedMetadataHash: document.metadataHash }
            : { indexedContentHash: null, indexedMetadataHash: null };
          const done = await tx.productSync.updateMany({
            where: { shop: row.shop, productId: row.productId, leaseOwner: row.leaseOwner, version: row.version },
            data: {
              ...indexed,
              ...mirrorMark,
              pending: false,
              leaseOwner: null,
              leaseUntil: null,
              attempts: 0,
              lastError: null,
              changedAt: null,
            },
          });
          if (done.count === 1) {
            if (row.changeSource?.startsWith("webhook") && row.changedAt) {
              lags.push({ shop: row.shop, lagMs: now.getTime() - row.changedAt.getTime() });
            }
            continue;
          }
          // A newer version arrived while we worked: record what is indexed, leave it pending for the next pass.
          await tx.productSync.updateMany({
            where: { shop: row.shop, productId: row.productId, leaseOwner: row.leaseOwner },
            data: { ...indexed, ...mirrorMark, leaseOwner: null, leaseUntil: null },
          });
        }
        if (lags.length) await tx.syncLagSample.createMany({ data: lags });
      },
      { ...BACKGROUND_TRANSACTION, timeout: 60_000 },
    );
    mirror?.nudge();
  }

  /** Releases the rows for a retry with backoff: one statement per attempt count (a batch mostly shares one). */
  private async fail(rows: ProductSync[], error: unknown, forgetIndexed = false) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const byClaim = new Map<string, ProductSync[]>();
    for (const row of rows) {
      const key = JSON.stringify([row.shop, row.leaseOwner, row.attempts]);
      byClaim.set(key, [...(byClaim.get(key) ?? []), row]);
    }
    for (const group of byClaim.values()) {
      const { shop, leaseOwner } = group[0];
      const attempts = group[0].attempts + 1;
      await this.options.db.productSync.updateMany({
        where: { shop, leaseOwner, productId: { in: group.map((row) => row.productId) } },
        data: {
          attempts,
          lastError: message,
          nextAttemptAt: new Date(this.now().getTime() + backoffMs(attempts, this.maxBackoffMs)),
          leaseOwner: null,
          leaseUntil: null,
          ...(forgetIndexed ? { indexedContentHash: null, indexedMetadataHash: null } : {}),
        },
      });
    }
  }

  /** Runs in the background: drains, then sleeps `idleMs` (or until `nudge()`) when nothing is due. */
  start(idleMs = 500) {
    this.loop.start(idleMs);
  }

  /** New work arrived (a webhook was recorded): skip the idle wait. */
  nudge() {
    this.loop.nudge();
  }

  stop() {
    return this.loop.stop();
  }
}
