// The sync engine of one app process: workers draining product sync state, the import driver,
// the reconciliation schedule, and the entry points routes and the dashboard call. Everything it
// coordinates lives in the database, so any number of processes can run one each.
import { randomUUID } from "node:crypto";
import type { ImportRun, PrismaClient } from "@prisma/client";
import type { DocumentOptions } from "../catalog/product-document";
import type { Logger } from "../logger.server";
import type { ProductIndex } from "../search/product-index";
import type { AdminGraphql, GraphqlTransport } from "../shopify/admin-graphql";
import type { FetchFunction } from "../shopify/bulk-operation.server";
import { parseMetafieldKeys, type MetafieldKey } from "../shopify/product-queries";
import { createThrottledAdmin, ShopBuckets, systemClock, type Clock } from "../shopify/throttled-admin";
import {
  ACTIVE_IMPORT_STATUSES,
  advanceImport,
  DEFAULT_IMPORT_RETRY,
  findRunForBulkOperation,
  requestImport,
  type ImportDependencies,
} from "./catalog-import.server";
import { requeueShop, TIED_WEBHOOK_SOURCE } from "./product-state.server";
import { reconcileShop, verifyTiedChanges, type DriftReport } from "./reconcile.server";
import {
  getImportProgress,
  getSyncStatus,
  WebhookReceipts,
  type ImportProgress,
  type SyncStatus,
} from "./sync-stats.server";
import type { ProductMirror } from "./product-mirror.server";
import { SyncWorker } from "./sync-worker.server";
import { intakeProductWebhook, type IntakeResult, type ProductWebhook } from "./webhook-intake.server";

export interface SyncSettings {
  /** Workers draining product sync state in this process. */
  workerConcurrency: number;
  /** Products per worker batch (one embedding call per batch). */
  batchSize: number;
  leaseMs: number;
  maxBackoffMs: number;
  /** How often idle workers and the import driver look for work. */
  pollIntervalMs: number;
  /** Periodic reconciliation per shop; 0 = only on demand. */
  reconcileIntervalMs: number;
  /** How long same-second webhook versions settle before the product is fetched again. */
  tieSettleMs: number;
  metafieldKeys: MetafieldKey[];
  /** Failed attempts an import run may have (each waits importRetryBaseMs, doubling, up to maxBackoffMs). */
  importAttempts: number;
  importRetryBaseMs: number;
  /**
   * A shop whose imports have all failed gets a new one after this long (doubling with each failed
   * run, at most a day); 0 = only when the merchant asks.
   */
  failedImportRetryMs: number;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  workerConcurrency: 1,
  batchSize: 64,
  leaseMs: 120_000,
  maxBackoffMs: 300_000,
  pollIntervalMs: 1000,
  reconcileIntervalMs: 6 * 3600_000,
  tieSettleMs: 5000,
  metafieldKeys: [],
  importAttempts: DEFAULT_IMPORT_RETRY.attempts,
  importRetryBaseMs: DEFAULT_IMPORT_RETRY.baseDelayMs,
  failedImportRetryMs: 3600_000,
};

const DAY_MS = 24 * 3600_000;

export interface SyncEngineDependencies {
  db: PrismaClient;
  log: Logger;
  index: ProductIndex;
  /** How this process reaches a shop's Admin GraphQL API (the app's offline session in production). */
  transportFor: (shop: string) => Promise<GraphqlTransport>;
  /** Downloads bulk operation results (plain fetch by default: the URL is a signed storage URL). */
  fetchResult?: FetchFunction;
  documentOptions?: (shop: string) => Promise<DocumentOptions> | DocumentOptions;
  /** APPWRITE_PRODUCTS: product metadata mirrored to Appwrite after each index write (decision 120). */
  mirror?: ProductMirror;
  settings?: Partial<SyncSettings>;
  clock?: Clock;
}

export class SyncEngine {
  readonly settings: SyncSettings;
  readonly workers: SyncWorker[];
  private readonly owner = `engine-${randomUUID()}`;
  private readonly buckets: ShopBuckets;
  private timers: NodeJS.Timeout[] = [];
  private importPass: Promise<void> | undefined;
  private readonly passes = new Map<string, Promise<unknown>>();
  private readonly receipts: WebhookReceipts;

  constructor(private readonly deps: SyncEngineDependencies) {
    this.settings = { ...DEFAULT_SYNC_SETTINGS, ...deps.settings };
    const clock = deps.clock ?? systemClock;
    this.buckets = new ShopBuckets(clock);
    this.receipts = new WebhookReceipts(deps.db);
    // At least one, so an intake-only process can still be drained on demand (it is never started).
    this.workers = Array.from(
      { length: Math.max(1, this.settings.workerConcurrency) },
      () =>
        new SyncWorker({
          db: deps.db,
          index: deps.index,
          log: deps.log.child({ component: "sync-worker" }),
          batchSize: this.settings.batchSize,
          leaseMs: this.settings.leaseMs,
          maxBackoffMs: this.settings.maxBackoffMs,
          documentOptions: deps.documentOptions,
          mirror: deps.mirror,
          now: () => new Date(clock.now()),
        }),
    );
  }

  /** Throttled Admin GraphQL for a shop: every caller in this process shares the shop's cost bucket. */
  async adminFor(shop: string): Promise<AdminGraphql> {
    return createThrottledAdmin(await this.deps.transportFor(shop), this.buckets.for(shop));
  }

  bucketFor(shop: string) {
    return this.buckets.for(shop);
  }

  private importDependencies(): ImportDependencies {
    return {
      db: this.deps.db,
      log: this.deps.log.child({ component: "sync-import" }),
      adminFor: (shop) => this.adminFor(shop),
      fetchResult: this.deps.fetchResult,
      metafieldKeys: this.settings.metafieldKeys,
      leaseMs: this.settings.leaseMs,
      retry: {
        attempts: this.settings.importAttempts,
        baseDelayMs: this.settings.importRetryBaseMs,
        maxDelayMs: this.settings.maxBackoffMs,
      },
    };
  }

  // ---- entry points ------------------------------------------------------------------------

  /** Webhook route: record and return at once; the workers are woken up. */
  async intakeProductWebhook(webhook: ProductWebhook): Promise<IntakeResult> {
    const result = await intakeProductWebhook(this.deps.db, this.deps.log, webhook);
    if (result === "accepted") for (const worker of this.workers) worker.nudge();
    if (result !== "duplicate" && result !== "ignored") {
      // A statistic: its write failing must not fail a delivery that is recorded (the retry would be a duplicate).
      await this.receipts
        .record(webhook.shop, new Date())
        .catch((error: unknown) =>
          this.deps.log.warn({ shop: webhook.shop, err: error }, "webhook counter not updated"),
        );
    }
    return result;
  }

  /** Install (afterAuth) or the dashboard: starts an import unless one is running. */
  async requestImport(shop: string): Promise<ImportRun> {
    const run = await requestImport(this.deps.db, shop);
    this.kickImports();
    return run;
  }

  /** bulk_operations/finish: look at the run now instead of at the next poll. */
  async onBulkOperationFinished(shop: string, bulkOperationId: string): Promise<boolean> {
    const run = await findRunForBulkOperation(this.deps.db, shop, bulkOperationId);
    if (run) this.kickImports();
    return Boolean(run);
  }

  /** Moves every active import forward once (the driver's tick; also callable directly). */
  async advanceImports(): Promise<void> {
    const runs = await this.deps.db.importRun.findMany({
      where: {
        status: { in: [...ACTIVE_IMPORT_STATUSES] },
        OR: [{ retryAt: null }, { retryAt: { lte: new Date() } }],
      },
      select: { id: true },
    });
    for (const run of runs) {
      try {
        const status = await advanceImport(this.importDependencies(), run.id, this.owner);
        this.deps.log.debug({ importId: run.id, status }, "import advanced");
      } catch (error) {
        // The next tick retries.
        this.deps.log.warn({ importId: run.id, err: error }, "import pass failed");
      }
    }
  }

  private kickImports() {
    if (!this.timers.length) return;
    this.importPass ??= this.advanceImports()
      .catch((error: unknown) => this.deps.log.error({ err: error }, "import pass failed"))
      .finally(() => (this.importPass = undefined));
  }

  private reconcileDependencies() {
    return {
      db: this.deps.db,
      log: this.deps.log.child({ component: "sync-reconcile" }),
      index: this.deps.index,
      adminFor: (shop: string) => this.adminFor(shop),
      metafieldKeys: this.settings.metafieldKeys,
    };
  }

  async reconcile(shop: string): Promise<DriftReport> {
    const report = await reconcileShop(
      this.reconcileDependencies(),
      shop,
      this.settings.reconcileIntervalMs || undefined,
    );
    // The mirror is compared after the index, which it follows; its failure does not undo the index's repair.
    await this.deps.mirror
      ?.reconcile(shop)
      .catch((error: unknown) => this.deps.log.warn({ err: error, shop }, "product mirror reconcile failed"));
    return report;
  }

  /** Products with two same-second webhook versions: fetched again from Shopify once settled. */
  async verifyTiedChanges(): Promise<number> {
    const { db } = this.deps;
    const tied = await db.productSync.findMany({
      where: { changeSource: TIED_WEBHOOK_SOURCE },
      distinct: ["shop"],
      select: { shop: true },
    });
    let verified = 0;
    for (const { shop } of tied) {
      const installed = await db.shop.count({ where: { domain: shop, uninstalledAt: null } });
      if (!installed) continue;
      try {
        verified += await verifyTiedChanges(this.reconcileDependencies(), shop, this.settings.tieSettleMs);
      } catch (error) {
        this.deps.log.warn({ shop, err: error }, "verifying same-second webhook versions failed; will retry");
      }
    }
    return verified;
  }

  /** Reconciles installed shops whose turn has come (and that have finished their first import). */
  async reconcileDueShops(): Promise<void> {
    const { db } = this.deps;
    const now = new Date();
    const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
    for (const { domain } of shops) {
      const [stats, imported, active] = await Promise.all([
        db.syncShopStats.findUnique({
          where: { shop: domain },
          select: { nextReconcileAt: true, lastReconcileAt: true },
        }),
        db.importRun.count({ where: { shop: domain, status: "completed" } }),
        db.importRun.count({ where: { shop: domain, status: { in: [...ACTIVE_IMPORT_STATUSES] } } }),
      ]);
      if (!imported || active) continue;
      const due =
        stats?.nextReconcileAt ??
        new Date((stats?.lastReconcileAt ?? new Date(0)).getTime() + this.settings.reconcileIntervalMs);
      if (due > now) continue;
      try {
        await this.reconcile(domain);
      } catch (error) {
        this.deps.log.warn({ shop: domain, err: error }, "scheduled reconciliation failed");
      }
    }
  }

  /**
   * Installed shops that have never completed an import and have none running: a new one starts
   * once their last failed run is old enough (failedImportRetryMs, doubling per failed run, ≤ 1 day).
   * Without it a shop whose first import failed would stay empty: reconciliation needs an import.
   */
  async retryFailedFirstImports(): Promise<number> {
    const { db, log } = this.deps;
    if (this.settings.failedImportRetryMs <= 0) return 0;
    // Only shops with a failed run can qualify (few): not one query per installed shop each pass.
    const candidates = await db.importRun.findMany({
      where: { status: "failed" },
      distinct: ["shop"],
      select: { shop: true },
    });
    let started = 0;
    for (const { shop: domain } of candidates) {
      if (!(await db.shop.count({ where: { domain, uninstalledAt: null } }))) continue;
      const runs = await db.importRun.findMany({
        where: { shop: domain },
        select: { status: true, finishedAt: true },
        orderBy: { startedAt: "desc" },
      });
      if (runs.some((run) => run.status !== "failed")) continue;
      const wait = Math.min(DAY_MS, this.settings.failedImportRetryMs * 2 ** (runs.length - 1));
      if ((runs[0].finishedAt?.getTime() ?? 0) + wait > Date.now()) continue;
      const run = await this.requestImport(domain);
      log.info({ shop: domain, importId: run.id, failedRuns: runs.length }, "first import failed before; trying again");
      started++;
    }
    return started;
  }

  /** Indexed-field settings changed: every product is rebuilt; only changed texts are embedded. */
  async refreshShop(shop: string): Promise<number> {
    const count = await requeueShop(this.deps.db, shop);
    for (const worker of this.workers) worker.nudge();
    return count;
  }

  status(shop: string): Promise<SyncStatus> {
    return getSyncStatus(this.deps.db, shop);
  }

  importProgress(shop: string, importId?: string): Promise<ImportProgress | null> {
    return getImportProgress(this.deps.db, shop, importId);
  }

  // ---- background ----------------------------------------------------------------------------

  /** Runs `pass` every `intervalMs`, never two of the same kind at once; failures are logged. */
  private repeat(name: string, intervalMs: number, pass: () => Promise<unknown>) {
    this.timers.push(
      setInterval(() => {
        if (this.passes.has(name)) return;
        this.passes.set(
          name,
          pass()
            .catch((error: unknown) => this.deps.log.error({ err: error }, `${name} pass failed`))
            .finally(() => this.passes.delete(name)),
        );
      }, intervalMs),
    );
  }

  /** Background work of this process; with workerConcurrency 0 the process only records webhooks. */
  start() {
    if (this.timers.length || this.settings.workerConcurrency === 0) return;
    const { pollIntervalMs, reconcileIntervalMs } = this.settings;
    for (const worker of this.workers) worker.start(pollIntervalMs);
    this.deps.mirror?.start();
    this.timers.push(setInterval(() => this.kickImports(), pollIntervalMs));
    this.repeat("tie verification", Math.max(pollIntervalMs, this.settings.tieSettleMs), () =>
      this.verifyTiedChanges(),
    );
    if (reconcileIntervalMs > 0) {
      this.repeat("reconciliation", Math.min(60_000, reconcileIntervalMs), () => this.reconcileDueShops());
    }
    if (this.settings.failedImportRetryMs > 0) {
      this.repeat("failed first imports", Math.min(60_000, this.settings.failedImportRetryMs), () =>
        this.retryFailedFirstImports(),
      );
    }
    for (const timer of this.timers) timer.unref();
    this.kickImports();
  }

  async stop() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.all([
      ...this.workers.map((w) => w.stop()),
      this.deps.mirror?.stop(),
      this.importPass,
      ...this.passes.values(),
      this.receipts.settle(),
    ]);
  }
}

/** SYNC_* settings (app/lib/config/env-schema.ts) → engine settings. */
export function syncSettingsFromEnv(env: {
  SYNC_WORKER_CONCURRENCY: number;
  SYNC_BATCH_SIZE: number;
  SYNC_LEASE_SECONDS: number;
  SYNC_POLL_INTERVAL_MS: number;
  SYNC_MAX_BACKOFF_SECONDS: number;
  SYNC_RECONCILE_INTERVAL_MINUTES: number;
  SYNC_METAFIELDS: string[];
  SYNC_IMPORT_ATTEMPTS: number;
  SYNC_IMPORT_RETRY_SECONDS: number;
  SYNC_FAILED_IMPORT_RETRY_MINUTES: number;
}): SyncSettings {
  return {
    workerConcurrency: env.SYNC_WORKER_CONCURRENCY,
    batchSize: env.SYNC_BATCH_SIZE,
    leaseMs: env.SYNC_LEASE_SECONDS * 1000,
    pollIntervalMs: env.SYNC_POLL_INTERVAL_MS,
    maxBackoffMs: env.SYNC_MAX_BACKOFF_SECONDS * 1000,
    reconcileIntervalMs: env.SYNC_RECONCILE_INTERVAL_MINUTES * 60_000,
    tieSettleMs: DEFAULT_SYNC_SETTINGS.tieSettleMs,
    metafieldKeys: parseMetafieldKeys(env.SYNC_METAFIELDS),
    importAttempts: env.SYNC_IMPORT_ATTEMPTS,
    importRetryBaseMs: env.SYNC_IMPORT_RETRY_SECONDS * 1000,
    failedImportRetryMs: env.SYNC_FAILED_IMPORT_RETRY_MINUTES * 60_000,
  };
}
