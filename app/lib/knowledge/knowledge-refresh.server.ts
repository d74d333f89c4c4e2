// Keeps each installed shop's policies and pages current (decision 125). Shopify sends no webhooks
// for them, so a shop is read when it has never been (a fresh install), every `intervalMs` after,
// and when the merchant asks. A lease on the shop's KnowledgeRefresh row keeps two processes from
// embedding the same shop at once; the state lives in the database, so any process may run it.
import type { PrismaClient } from "@prisma/client";
import { PollLoop } from "../jobs/poll-loop";
import { refreshShopKnowledge, type KnowledgeImportDependencies } from "./knowledge-import.server";
import type { SyncReport } from "./knowledge-store.server";

export interface KnowledgeRefreshSettings {
  /** Between two reads of a shop's policies and pages; 0 = at install and on demand only. */
  intervalMs: number;
  /** How often the loop looks for a due shop. */
  pollIntervalMs: number;
  /** How long one refresh may hold its shop. */
  leaseMs: number;
}

export interface KnowledgeRefresherDependencies extends KnowledgeImportDependencies {
  db: PrismaClient;
  settings: KnowledgeRefreshSettings;
  now?: () => Date;
}

export class KnowledgeRefresher {
  private readonly loop: PollLoop;

  constructor(private readonly deps: KnowledgeRefresherDependencies) {
    this.loop = new PollLoop(
      () => this.refreshNextDueShop(),
      (error) => deps.log.error({ err: error }, "store knowledge refresh pass failed"),
    );
  }

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Refreshes one shop now (install, schedule or the dashboard's button). null: another process holds
   * the shop's lease. Throws what the Admin API or the embedder threw, after recording it.
   */
  async refresh(shop: string): Promise<SyncReport | null> {
    const now = this.now();
    const leasedUntil = new Date(now.getTime() + this.deps.settings.leaseMs);
    await this.deps.db.knowledgeRefresh.upsert({
      where: { shop },
      // A shop never refreshed is due at once: refreshedAt is the epoch until the first success.
      create: { shop, refreshedAt: new Date(0) },
      update: {},
    });
    const { count } = await this.deps.db.knowledgeRefresh.updateMany({
      where: { shop, OR: [{ leasedUntil: null }, { leasedUntil: { lt: now } }] },
      data: { leasedUntil },
    });
    if (!count) return null;
    try {
      const report = await refreshShopKnowledge(this.deps, shop);
      await this.deps.db.knowledgeRefresh.update({
        where: { shop },
        data: { refreshedAt: this.now(), error: null, leasedUntil: null },
      });
      return report;
    } catch (error) {
      await this.deps.db.knowledgeRefresh.update({
        where: { shop },
        // Tried now: the next attempt waits a whole interval rather than hammering a failing shop.
        data: { refreshedAt: this.now(), error: String((error as Error).message ?? error), leasedUntil: null },
      });
      throw error;
    }
  }

  /** The installed shop most overdue (never refreshed first), if any is due. */
  async dueShop(): Promise<string | null> {
    const now = this.now();
    const installed = await this.deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
    if (!installed.length) return null;
    const states = await this.deps.db.knowledgeRefresh.findMany({
      where: { shop: { in: installed.map((s) => s.domain) } },
      select: { shop: true, refreshedAt: true, leasedUntil: true },
    });
    const byShop = new Map(states.map((state) => [state.shop, state]));
    const never = installed.find((s) => !byShop.has(s.domain));
    if (never) return never.domain;
    const { intervalMs } = this.deps.settings;
    if (intervalMs <= 0) return null;
    const due = states
      .filter((s) => (!s.leasedUntil || s.leasedUntil < now) && s.refreshedAt.getTime() + intervalMs <= now.getTime())
      .sort((a, b) => a.refreshedAt.getTime() - b.refreshedAt.getTime());
    return due[0]?.shop ?? null;
  }

  private async refreshNextDueShop(): Promise<boolean> {
    const shop = await this.dueShop();
    if (!shop) return false;
    try {
      await this.refresh(shop);
    } catch (error) {
      this.deps.log.warn({ err: error, shop }, "store knowledge refresh failed; retried after the interval");
    }
    return true;
  }

  async state(shop: string) {
    return this.deps.db.knowledgeRefresh.findUnique({ where: { shop }, select: { refreshedAt: true, error: true } });
  }

  start() {
    this.loop.start(this.deps.settings.pollIntervalMs);
  }

  /** A shop was installed: look for it now rather than after the idle wait. */
  nudge() {
    this.loop.nudge();
  }

  async stop() {
    await this.loop.stop();
  }
}
