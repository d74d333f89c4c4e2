// Abuse limits of the storefront chat: fixed-window request counters per visitor, per client address
// and per shop, and ceilings on language-model tokens — the shop's day and minute, the app's day, one
// visitor's and one address's share of the shop's day — that every model call reserves against
// before it starts and settles after. Counters live in the database (not in process memory) so
// several app instances share them (docs/decisions/071, 104, 105). Visitor keys are server-issued
// ids; address keys are keyed hashes of the address (no addresses are stored).
import type { PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "../db/prisma-errors";
import type { TokenReservation } from "../chat/types";

export interface AbuseLimitSettings {
  windowSeconds: number;
  visitorMessagesPerWindow: number;
  shopMessagesPerWindow: number;
  /** Tokens per shop per UTC day; 0 = never call the model. */
  dailyTokenBudget: number;
  /** Tokens per shop per minute, so a burst cannot spend the day at once; 0 = no such ceiling. */
  shopTokensPerMinute?: number;
  /** Tokens per UTC day for all shops of this app together; 0 = no such ceiling. */
  globalDailyTokenBudget?: number;
  /** The share (0–1] of a shop's day one visitor (or logged-in customer) may spend; 1 = no such ceiling. */
  visitorTokenShare?: number;
  /** Messages per client address per window, all its visitors together; 0 = no such limit. */
  ipMessagesPerWindow?: number;
  /** The share (0–1] of a shop's day one client address may spend; 1 = no such ceiling. */
  ipTokenShare?: number;
  /** Add-to-cart events per visitor per window (per address: `ipMessagesPerWindow`); 0 = no limit. */
  cartEventsPerWindow?: number;
  /** Handoff requests (contact form) per visitor per window, and per address; 0 = no limit. */
  handoffsPerWindow?: number;
}

/** Who a request counts against: the verified visitor (or customer) and the client address's key. */
export interface LimitSubject {
  visitorKey: string;
  addressKey: string;
}

/** The ceiling that refused a reservation. */
export type TokenCeiling = "shop_day" | "shop_minute" | "global_day" | "visitor_share" | "ip_share";

/** One counter a reservation holds tokens on: a shop's day row, or a keyed window row. */
type TokenCounter =
  | { ceiling: "shop_day"; limit: number; shop: string; day: string }
  | { ceiling: Exclude<TokenCeiling, "shop_day">; limit: number; key: string; windowStart: Date };

export type RateDecision =
  { allowed: true } | { allowed: false; scope: "visitor" | "ip" | "shop"; retryAfterSeconds: number; limit: number };

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function abuseLimitSettingsFromEnv(env: {
  CHAT_RATE_WINDOW_SECONDS: number;
  CHAT_VISITOR_MESSAGES_PER_WINDOW: number;
  CHAT_SHOP_MESSAGES_PER_WINDOW: number;
  CHAT_DAILY_TOKEN_BUDGET: number;
  CHAT_SHOP_TOKENS_PER_MINUTE: number;
  CHAT_GLOBAL_DAILY_TOKEN_BUDGET: number;
  CHAT_VISITOR_TOKEN_SHARE: number;
  CHAT_IP_MESSAGES_PER_WINDOW: number;
  CHAT_IP_TOKEN_SHARE: number;
  CHAT_CART_EVENTS_PER_WINDOW: number;
  CHAT_HANDOFFS_PER_WINDOW: number;
}): AbuseLimitSettings {
  return {
    windowSeconds: env.CHAT_RATE_WINDOW_SECONDS,
    visitorMessagesPerWindow: env.CHAT_VISITOR_MESSAGES_PER_WINDOW,
    shopMessagesPerWindow: env.CHAT_SHOP_MESSAGES_PER_WINDOW,
    dailyTokenBudget: env.CHAT_DAILY_TOKEN_BUDGET,
    shopTokensPerMinute: env.CHAT_SHOP_TOKENS_PER_MINUTE,
    globalDailyTokenBudget: env.CHAT_GLOBAL_DAILY_TOKEN_BUDGET,
    visitorTokenShare: env.CHAT_VISITOR_TOKEN_SHARE,
    ipMessagesPerWindow: env.CHAT_IP_MESSAGES_PER_WINDOW,
    ipTokenShare: env.CHAT_IP_TOKEN_SHARE,
    cartEventsPerWindow: env.CHAT_CART_EVENTS_PER_WINDOW,
    handoffsPerWindow: env.CHAT_HANDOFFS_PER_WINDOW,
  };
}

/** The UTC day a budget row belongs to. */
export function budgetDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export class AbuseLimits {
  private readonly now: () => Date;

  constructor(
    private readonly db: PrismaClient,
    readonly settings: AbuseLimitSettings,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Counts one chat message against the visitor's, the client address's and the shop's windows,
   * narrowest first, so a noisy visitor or address refused early does not use up the wider ones
   * (a visitor rotating ids is still held by its address). A subject given as a plain string is a
   * visitor key with no address (callers that have none).
   */
  async admitMessage(shop: string, subject: LimitSubject | string): Promise<RateDecision> {
    const { visitorKey, addressKey } =
      typeof subject === "string" ? { visitorKey: subject, addressKey: null } : subject;
    const { visitorMessagesPerWindow, ipMessagesPerWindow = 0, shopMessagesPerWindow } = this.settings;
    return this.admit([
      { scope: "visitor", key: `visitor:${shop}:${visitorKey}`, limit: visitorMessagesPerWindow },
      ...(addressKey && ipMessagesPerWindow > 0
        ? [{ scope: "ip" as const, key: `ip:${shop}:${addressKey}`, limit: ipMessagesPerWindow }]
        : []),
      { scope: "shop", key: `shop:${shop}`, limit: shopMessagesPerWindow },
    ]);
  }

  /** Counts one Add to cart event against the visitor's and the address's windows (their own counters). */
  async admitCartEvent(shop: string, subject: LimitSubject): Promise<RateDecision> {
    const { cartEventsPerWindow = 0, ipMessagesPerWindow = 0 } = this.settings;
    return this.admit([
      ...(cartEventsPerWindow > 0
        ? [{ scope: "visitor" as const, key: `cart:visitor:${shop}:${subject.visitorKey}`, limit: cartEventsPerWindow }]
        : []),
      ...(ipMessagesPerWindow > 0
        ? [{ scope: "ip" as const, key: `cart:ip:${shop}:${subject.addressKey}`, limit: ipMessagesPerWindow }]
        : []),
    ]);
  }

  /** A handoff request: a few per visitor and per address each window (each one reaches a person). */
  async admitHandoff(shop: string, subject: LimitSubject): Promise<RateDecision> {
    const { handoffsPerWindow = 0 } = this.settings;
    if (handoffsPerWindow <= 0) return { allowed: true };
    return this.admit([
      { scope: "visitor", key: `handoff:visitor:${shop}:${subject.visitorKey}`, limit: handoffsPerWindow },
      { scope: "ip", key: `handoff:ip:${shop}:${subject.addressKey}`, limit: handoffsPerWindow * 5 },
    ]);
  }

  private async admit(
    windows: { scope: "visitor" | "ip" | "shop"; key: string; limit: number }[],
  ): Promise<RateDecision> {
    const at = this.now();
    const windowMs = this.settings.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at.getTime()) / 1000));
    for (const { scope, key, limit } of windows) {
      if ((await this.increment(key, windowStart)) > limit) return { allowed: false, scope, retryAfterSeconds, limit };
    }
    return { allowed: true };
  }

  /** Whether the shop may still spend model tokens today; false = answer from retrieval alone. */
  async modelAllowed(shop: string): Promise<boolean> {
    if (this.settings.dailyTokenBudget === 0) return false;
    const row = await this.db.chatTokenUsage.findUnique({
      where: { shop_day: { shop, day: budgetDay(this.now()) } },
    });
    return (row?.tokens ?? 0) < this.settings.dailyTokenBudget;
  }

  /**
   * Holds `tokens` on every ceiling, or says which ceiling refused. Each counter is raised by one
   * conditional update (atomic per row on SQLite and Postgres, so concurrent calls on any instance
   * never take a counter past its limit); when a later counter refuses, the ones already raised are
   * given back. No transaction: a pool of connections is never held while turns queue. The
   * reservation is settled to what the call used; one never settled (a crashed process) stays
   * charged in full.
   */
  async reserveTokens(
    shop: string,
    subject: LimitSubject | string,
    tokens: number,
  ): Promise<{ reservation: TokenReservation } | { refused: TokenCeiling }> {
    const amount = Math.max(0, Math.ceil(tokens));
    const counters = this.tokenCounters(
      shop,
      typeof subject === "string" ? { visitorKey: subject, addressKey: null } : subject,
    );
    for (const [i, counter] of counters.entries()) {
      if (await this.raiseWithin(counter, amount)) continue;
      for (const raised of counters.slice(0, i)) await this.adjust(raised, -amount);
      return { refused: counter.ceiling };
    }
    let settled = false;
    return {
      reservation: {
        tokens: amount,
        settle: async (usedTokens: number) => {
          if (settled) return;
          settled = true;
          const delta = Math.max(0, Math.ceil(Number.isFinite(usedTokens) ? usedTokens : amount)) - amount;
          if (delta !== 0) for (const counter of counters) await this.adjust(counter, delta);
        },
      },
    };
  }

  /** The counters a shop's model call is charged on; a ceiling of 0 (or a share of 1) has none. */
  private tokenCounters(
    shop: string,
    { visitorKey, addressKey }: { visitorKey: string; addressKey: string | null },
  ): TokenCounter[] {
    const at = this.now();
    const day = budgetDay(at);
    const dayStart = new Date(`${day}T00:00:00.000Z`);
    const minuteStart = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
    const {
      dailyTokenBudget,
      shopTokensPerMinute = 0,
      globalDailyTokenBudget = 0,
      visitorTokenShare = 1,
      ipTokenShare = 1,
    } = this.settings;
    const counters: TokenCounter[] = [{ ceiling: "shop_day", limit: dailyTokenBudget, shop, day }];
    if (shopTokensPerMinute > 0) {
      counters.push({
        ceiling: "shop_minute",
        limit: shopTokensPerMinute,
        key: `tokens:shop:${shop}`,
        windowStart: minuteStart,
      });
    }
    if (globalDailyTokenBudget > 0) {
      counters.push({ ceiling: "global_day", limit: globalDailyTokenBudget, key: "tokens:app", windowStart: dayStart });
    }
    if (visitorTokenShare < 1) {
      counters.push({
        ceiling: "visitor_share",
        limit: Math.floor(dailyTokenBudget * visitorTokenShare),
        key: `tokens:visitor:${shop}:${visitorKey}`,
        windowStart: dayStart,
      });
    }
    // Many shoppers can share an address (offices, mobile carriers' NAT): its share is its own setting.
    if (addressKey && ipTokenShare < 1) {
      counters.push({
        ceiling: "ip_share",
        limit: Math.floor(dailyTokenBudget * ipTokenShare),
        key: `tokens:ip:${shop}:${addressKey}`,
        windowStart: dayStart,
      });
    }
    return counters;
  }

  /** Settles a counter by `delta`; a refund never takes it below 0 (a pruned or reset row). */
  private async adjust(counter: TokenCounter, delta: number): Promise<void> {
    if (delta > 0) {
      await this.raiseWithin(counter, delta, false);
      return;
    }
    const refund = -delta;
    if (counter.ceiling === "shop_day") {
      const where = { shop: counter.shop, day: counter.day };
      const { count } = await this.db.chatTokenUsage.updateMany({
        where: { ...where, tokens: { gte: refund } },
        data: { tokens: { decrement: refund } },
      });
      if (!count) await this.db.chatTokenUsage.updateMany({ where, data: { tokens: 0 } });
      return;
    }
    const where = { key: counter.key, windowStart: counter.windowStart };
    const { count } = await this.db.chatRateWindow.updateMany({
      where: { ...where, count: { gte: refund } },
      data: { count: { decrement: refund } },
    });
    if (!count) await this.db.chatRateWindow.updateMany({ where, data: { count: 0 } });
  }

  /**
   * Adds `amount` to a counter, creating its row; with `bounded`, only while the total stays within
   * the limit (a conditional update, atomic per row on SQLite and Postgres). Returns whether it did.
   */
  private async raiseWithin(counter: TokenCounter, amount: number, bounded = true): Promise<boolean> {
    // Update first; when nothing matched, make sure the row exists (this call or a concurrent one
    // creates it) and update once more: a miss then means the limit, not a missing row.
    const raise = async () => {
      if (counter.ceiling === "shop_day") {
        const where = { shop: counter.shop, day: counter.day };
        const { count } = await this.db.chatTokenUsage.updateMany({
          where: { ...where, ...(bounded ? { tokens: { lte: counter.limit - amount } } : {}) },
          data: { tokens: { increment: amount } },
        });
        return count === 1;
      }
      const where = { key: counter.key, windowStart: counter.windowStart };
      const { count } = await this.db.chatRateWindow.updateMany({
        where: { ...where, ...(bounded ? { count: { lte: counter.limit - amount } } : {}) },
        data: { count: { increment: amount } },
      });
      return count === 1;
    };
    if (await raise()) return true;
    await this.ignoringDuplicate(
      counter.ceiling === "shop_day"
        ? this.db.chatTokenUsage.create({ data: { shop: counter.shop, day: counter.day, tokens: 0 } })
        : this.db.chatRateWindow.create({ data: { key: counter.key, windowStart: counter.windowStart, count: 0 } }),
    );
    return raise();
  }

  private async ignoringDuplicate(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  async tokensToday(shop: string): Promise<number> {
    const row = await this.db.chatTokenUsage.findUnique({ where: { shop_day: { shop, day: budgetDay(this.now()) } } });
    return row?.tokens ?? 0;
  }

  /** Deletes windows and budget rows nobody reads any more. Returns the number of rows deleted. */
  async prune(): Promise<number> {
    const at = this.now();
    const windows = await this.db.chatRateWindow.deleteMany({
      where: { windowStart: { lt: new Date(at.getTime() - Math.max(DAY_MS, this.settings.windowSeconds * 2000)) } },
    });
    const budgets = await this.db.chatTokenUsage.deleteMany({
      where: { day: { lt: budgetDay(new Date(at.getTime() - 7 * DAY_MS)) } },
    });
    return windows.count + budgets.count;
  }

  private async increment(key: string, windowStart: Date): Promise<number> {
    const row = await this.upsertWithRetry(() =>
      this.db.chatRateWindow.upsert({
        where: { key_windowStart: { key, windowStart } },
        create: { key, windowStart, count: 1 },
        update: { count: { increment: 1 } },
      }),
    );
    return row.count;
  }

  // Two instances creating the same new row at once: one insert loses on the primary key; the
  // retry then finds the row and increments it.
  private async upsertWithRetry<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) return write();
      throw error;
    }
  }
}
