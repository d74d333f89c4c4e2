// What the dashboard shows about sync, per shop, and the counters the engine keeps for it.
import type { PrismaClient } from "@prisma/client";
import type { ProductDocument } from "../catalog/product-document";

/** Attempts after which a pending product is shown as failed (it is still retried). */
export const FAILED_AFTER_ATTEMPTS = 3;
const LAG_WINDOW_MS = 24 * 3600_000;

/** Rough token count for cost reporting (OpenAI-style tokenizers average ~4 characters per token). */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export async function recordIndexWork(
  db: PrismaClient,
  shop: string,
  kind: "embedded" | "metadataUpdated" | "removed",
  documents: (ProductDocument | null)[],
) {
  const counters =
    kind === "embedded"
      ? {
          embeddingCalls: { increment: 1 },
          embeddedDocuments: { increment: documents.length },
          embeddingTokens: { increment: documents.reduce((sum, d) => sum + estimateTokens(d?.text ?? ""), 0) },
        }
      : kind === "metadataUpdated"
        ? { metadataUpdates: { increment: documents.length } }
        : { removals: { increment: documents.length } };
  await db.syncShopStats.upsert({
    where: { shop },
    create: {
      shop,
      ...Object.fromEntries(Object.entries(counters).map(([key, value]) => [key, value.increment])),
    },
    update: counters,
  });
}

/**
 * The dashboard's webhook counters (received, last at) per shop, written in groups: deliveries that
 * arrive while a shop's write is in flight are counted by the next write, which each of them awaits.
 * Inside every intake transaction this one row was what a shop's deliveries queued on (on Postgres,
 * its row lock held until each COMMIT: most connections of the W5 burst waited there).
 */
export class WebhookReceipts {
  private readonly waiting = new Map<string, { count: number; at: Date; written: Promise<void> }>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly db: PrismaClient) {}

  /** Counts one delivery of `shop`; resolves once a write that includes it is done. */
  record(shop: string, at: Date): Promise<void> {
    const joined = this.waiting.get(shop);
    if (joined) {
      joined.count++;
      if (at > joined.at) joined.at = at;
      return joined.written;
    }
    const batch = { count: 1, at, written: Promise.resolve() };
    const before = this.inFlight.get(shop);
    this.waiting.set(shop, batch);
    batch.written = (async () => {
      if (before) await before.catch(() => {}); // one write per shop at a time
      this.waiting.delete(shop); // later deliveries form the next group
      await this.db.syncShopStats.upsert({
        where: { shop },
        create: { shop, webhooksReceived: batch.count, lastWebhookAt: batch.at },
        update: { webhooksReceived: { increment: batch.count }, lastWebhookAt: batch.at },
      });
    })();
    this.inFlight.set(shop, batch.written);
    const settled = () => {
      if (this.inFlight.get(shop) === batch.written) this.inFlight.delete(shop);
    };
    batch.written.then(settled, settled);
    return batch.written;
  }

  /** Resolves when every write started so far is done (shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface FailedProduct {
  productId: string;
  title: string | null;
  attempts: number;
  error: string | null;
  nextAttemptAt: Date;
}

export interface SyncStatus {
  shop: string;
  productsInShopify: number | null;
  /** Products currently in the index according to sync state. */
  indexed: number;
  pending: number;
  failed: number;
  failures: FailedProduct[];
  lastImport: ImportProgress | null;
  lastWebhookAt: Date | null;
  webhooksReceived: number;
  lagMs: { p50: number | null; p95: number | null; samples: number };
  embedding: { calls: number; documents: number; tokens: number; metadataUpdates: number; removals: number };
  drift: {
    lastReconcileAt: Date | null;
    missing: number;
    extra: number;
    stale: number;
    index: number;
  };
}

export interface ImportProgress {
  id: string;
  status: string;
  /** Products written to sync state so far, and the export's product count once known. */
  done: number;
  total: number | null;
  /** Products of this import already searchable (indexed). */
  indexed: number;
  malformedLines: number;
  malformedSample: { line: number; reason: string }[];
  /** Products per second since the import started. */
  rate: number | null;
  etaSeconds: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Failed attempts so far, and when the next one runs (while the run waits out a backoff). */
  attempts: number;
  retryAt: Date | null;
}

export async function getImportProgress(
  db: PrismaClient,
  shop: string,
  importId?: string,
): Promise<ImportProgress | null> {
  // Scoped by shop even with an id: a shop never reads another shop's import.
  const run = importId
    ? await db.importRun.findFirst({ where: { id: importId, shop } })
    : await db.importRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
  if (!run) return null;
  const [indexed, pending] = await Promise.all([
    db.productSync.count({ where: { shop: run.shop, seenInImportId: run.id, pending: false } }),
    db.productSync.count({ where: { shop: run.shop, seenInImportId: run.id, pending: true } }),
  ]);
  const finished = run.finishedAt ?? new Date();
  const elapsed = (finished.getTime() - run.startedAt.getTime()) / 1000;
  // Progress counts a product once it is written and drained by the worker.
  const done = run.status === "completed" ? (run.total ?? indexed) : indexed;
  const rate = elapsed > 0 && done > 0 ? done / elapsed : null;
  const total = run.total;
  const remaining = total !== null ? Math.max(0, total - done) : pending;
  return {
    id: run.id,
    status: run.status,
    done,
    total,
    indexed,
    malformedLines: run.malformedLines,
    malformedSample: run.malformedSample ? JSON.parse(run.malformedSample) : [],
    rate,
    etaSeconds:
      rate && run.status !== "completed" ? Math.round(remaining / rate) : run.status === "completed" ? 0 : null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    attempts: run.attempts,
    retryAt: run.retryAt,
  };
}

export async function getSyncStatus(db: PrismaClient, shop: string): Promise<SyncStatus> {
  const since = new Date(Date.now() - LAG_WINDOW_MS);
  const [stats, indexed, pending, failed, failures, lags, lastImport] = await Promise.all([
    db.syncShopStats.findUnique({ where: { shop } }),
    db.productSync.count({ where: { shop, indexedContentHash: { not: null } } }),
    db.productSync.count({ where: { shop, pending: true } }),
    db.productSync.count({ where: { shop, pending: true, attempts: { gte: FAILED_AFTER_ATTEMPTS } } }),
    db.productSync.findMany({
      where: { shop, pending: true, attempts: { gte: FAILED_AFTER_ATTEMPTS } },
      orderBy: { attempts: "desc" },
      take: 20,
      select: { productId: true, snapshot: true, attempts: true, lastError: true, nextAttemptAt: true },
    }),
    db.syncLagSample.findMany({ where: { shop, recordedAt: { gte: since } }, select: { lagMs: true }, take: 10_000 }),
    getImportProgress(db, shop),
  ]);
  const sorted = lags.map((l) => l.lagMs).sort((a, b) => a - b);
  return {
    shop,
    productsInShopify: stats?.productsInShopify ?? null,
    indexed,
    pending,
    failed,
    failures: failures.map((f) => ({
      productId: f.productId,
      title: f.snapshot ? ((JSON.parse(f.snapshot) as { title?: string }).title ?? null) : null,
      attempts: f.attempts,
      error: f.lastError,
      nextAttemptAt: f.nextAttemptAt,
    })),
    lastImport,
    lastWebhookAt: stats?.lastWebhookAt ?? null,
    webhooksReceived: stats?.webhooksReceived ?? 0,
    lagMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), samples: sorted.length },
    embedding: {
      calls: stats?.embeddingCalls ?? 0,
      documents: stats?.embeddedDocuments ?? 0,
      tokens: stats?.embeddingTokens ?? 0,
      metadataUpdates: stats?.metadataUpdates ?? 0,
      removals: stats?.removals ?? 0,
    },
    drift: {
      lastReconcileAt: stats?.lastReconcileAt ?? null,
      missing: stats?.lastDriftMissing ?? 0,
      extra: stats?.lastDriftExtra ?? 0,
      stale: stats?.lastDriftStale ?? 0,
      index: stats?.lastDriftIndex ?? 0,
    },
  };
}
