// Subscription health (issue 14, Deliver 5; decision 107): asks Shopify, per installed shop, which webhook
// subscriptions it keeps and which access scopes the shop granted, and compares them with the app's
// declaration. At boot and every `intervalMs` in a process that runs background jobs; the dashboard asks
// for one shop on demand when this process has no recent answer (a web-only process runs no loop).
import type { PrismaClient } from "@prisma/client";
import { PollLoop } from "../jobs/poll-loop";
import type { Logger } from "../logger.server";
import { sendDocument, type AdminAnswer, type GraphqlResponse, type GraphqlTransport } from "../shopify/admin-graphql";
import {
  compareSubscriptions,
  DECLARED_WEBHOOK_SUBSCRIPTIONS,
  topicFromEnum,
  WEBHOOK_SUBSCRIPTIONS_QUERY,
  type ExtraSubscription,
  type ListedSubscription,
  type MissingSubscription,
} from "../shopify/webhook-subscriptions";

export interface SubscriptionReport {
  shop: string;
  checkedAt: Date;
  /** `unreachable`: Shopify could not be asked (refused token, network); `error` says why. */
  state: "ok" | "drift" | "unreachable";
  missing: MissingSubscription[];
  extra: ExtraSubscription[];
  error?: string;
}

export interface SubscriptionHealthDeps {
  db: PrismaClient;
  log: Logger;
  transportFor: (shop: string) => Promise<GraphqlTransport>;
  appUrl: string;
  /** 0: no background loop (the dashboard still checks on demand). */
  intervalMs: number;
  now?: () => Date;
}

// A shop with more shop-scoped subscriptions than this is reported from the first pages only.
const MAX_PAGES = 20;

export class SubscriptionHealth {
  private readonly reports = new Map<string, SubscriptionReport>();
  private readonly inFlight = new Map<string, Promise<SubscriptionReport>>();
  private readonly loop: PollLoop;
  private readonly now: () => Date;

  constructor(private readonly deps: SubscriptionHealthDeps) {
    this.now = deps.now ?? (() => new Date());
    this.loop = new PollLoop(
      async () => {
        await this.checkAll();
        return false;
      },
      (error) => deps.log.error({ err: error }, "subscription check pass failed"),
    );
  }

  start() {
    if (this.deps.intervalMs > 0) this.loop.start(this.deps.intervalMs);
  }

  stop() {
    return this.loop.stop();
  }

  /** The last report of this process for `shop`, if any. */
  report(shop: string): SubscriptionReport | undefined {
    return this.reports.get(shop);
  }

  /**
   * The report if younger than `maxAgeMs`, else a fresh check (one at a time per shop). A check that takes
   * longer than `waitMs` is left running: the last report, or null, is returned meanwhile (a slow Shopify
   * must not hold up the dashboard page).
   */
  async recentReport(shop: string, maxAgeMs: number, waitMs = 5000): Promise<SubscriptionReport | null> {
    const last = this.reports.get(shop);
    if (last && this.now().getTime() - last.checkedAt.getTime() < maxAgeMs) return last;
    let check = this.inFlight.get(shop);
    if (!check) {
      check = this.checkShop(shop).finally(() => this.inFlight.delete(shop));
      this.inFlight.set(shop, check);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    try {
      return (await Promise.race([check, timeout])) ?? last ?? null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks every installed shop, one at a time (a refused shop does not stop the others). */
  async checkAll(): Promise<SubscriptionReport[]> {
    const shops = await this.deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
    const installed = new Set(shops.map((s) => s.domain));
    for (const shop of this.reports.keys()) if (!installed.has(shop)) this.reports.delete(shop);
    const reports: SubscriptionReport[] = [];
    for (const { domain } of shops) reports.push(await this.checkShop(domain));
    return reports;
  }

  async checkShop(shop: string): Promise<SubscriptionReport> {
    let report: SubscriptionReport;
    try {
      const { scopes, listed } = await this.fetch(shop);
      const { missing, extra } = compareSubscriptions(DECLARED_WEBHOOK_SUBSCRIPTIONS, scopes, listed, this.deps.appUrl);
      const state = missing.length || extra.length ? "drift" : "ok";
      report = { shop, checkedAt: this.now(), state, missing, extra };
      if (state === "drift")
        this.deps.log.warn(
          { shop, missing: missing.map((m) => m.topic), extra: extra.map((e) => `${e.topic} ${e.uri}`) },
          "webhook subscriptions differ from shopify.app.toml",
        );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report = { shop, checkedAt: this.now(), state: "unreachable", missing: [], extra: [], error: message };
      this.deps.log.warn({ shop, err: error }, "webhook subscription check could not ask Shopify");
    }
    this.reports.set(shop, report);
    return report;
  }

  private async fetch(shop: string): Promise<{ scopes: string[]; listed: ListedSubscription[] }> {
    const send = await this.deps.transportFor(shop);
    let scopes: string[] = [];
    const listed: ListedSubscription[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response: GraphqlResponse<AdminAnswer<typeof WEBHOOK_SUBSCRIPTIONS_QUERY>> = await sendDocument(
        send,
        WEBHOOK_SUBSCRIPTIONS_QUERY,
        { after },
      );
      if (response.errors?.length || !response.data)
        throw new Error(`Shopify answered: ${response.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
      const data = response.data;
      scopes = data.currentAppInstallation.accessScopes.map((scope) => scope.handle);
      for (const node of data.webhookSubscriptions.nodes)
        listed.push({ id: node.id, topic: topicFromEnum(node.topic), uri: node.uri });
      if (!data.webhookSubscriptions.pageInfo.hasNextPage) break;
      after = data.webhookSubscriptions.pageInfo.endCursor ?? null;
    }
    return { scopes, listed };
  }
}
