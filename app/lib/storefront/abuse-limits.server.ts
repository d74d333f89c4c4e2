// Abuse limits of the storefront chat: fixed-window request counters per visitor and per shop, and
// a daily per-shop budget of language-model tokens. Counters live in the database (not in process
// memory) so several app instances share them (docs/decisions/071-chat-abuse-limits.md).
import { Prisma, type PrismaClient } from "@prisma/client";

export interface AbuseLimitSettings {
  windowSeconds: number;
  visitorMessagesPerWindow: number;
  shopMessagesPerWindow: number;
  /** Tokens per shop per UTC day; 0 = never call the model. */
  dailyTokenBudget: number;
}

export type RateDecision =
  { allowed: true } | { allowed: false; scope: "visitor" | "shop"; retryAfterSeconds: number; limit: number };

const DAY_MS = 86_400_000;

export function abuseLimitSettingsFromEnv(env: {
  CHAT_RATE_WINDOW_SECONDS: number;
  CHAT_VISITOR_MESSAGES_PER_WINDOW: number;
  CHAT_SHOP_MESSAGES_PER_WINDOW: number;
  CHAT_DAILY_TOKEN_BUDGET: number;
}): AbuseLimitSettings {
  return {
    windowSeconds: env.CHAT_RATE_WINDOW_SECONDS,
    visitorMessagesPerWindow: env.CHAT_VISITOR_MESSAGES_PER_WINDOW,
    shopMessagesPerWindow: env.CHAT_SHOP_MESSAGES_PER_WINDOW,
    dailyTokenBudget: env.CHAT_DAILY_TOKEN_BUDGET,
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
   * Counts one chat message against the visitor's and the shop's windows. The visitor is checked
   * first so one noisy visitor does not use up the shop's allowance once refused.
   */
  async admitMessage(shop: string, visitorKey: string): Promise<RateDecision> {
    const at = this.now();
    const windowMs = this.settings.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at.getTime()) / 1000));

    const visitorCount = await this.increment(`visitor:${shop}:${visitorKey}`, windowStart);
    if (visitorCount > this.settings.visitorMessagesPerWindow) {
      return { allowed: false, scope: "visitor", retryAfterSeconds, limit: this.settings.visitorMessagesPerWindow };
    }
    const shopCount = await this.increment(`shop:${shop}`, windowStart);
    if (shopCount > this.settings.shopMessagesPerWindow) {
      return { allowed: false, scope: "shop", retryAfterSeconds, limit: this.settings.shopMessagesPerWindow };
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

  /** Adds the tokens an answer used to the shop's total for today; returns the new total. */
  async recordTokens(shop: string, tokens: number): Promise<number> {
    if (!Number.isFinite(tokens) || tokens <= 0) return this.tokensToday(shop);
    const day = budgetDay(this.now());
    const amount = Math.ceil(tokens);
    const row = await this.upsertWithRetry(() =>
      this.db.chatTokenUsage.upsert({
        where: { shop_day: { shop, day } },
        create: { shop, day, tokens: amount },
        update: { tokens: { increment: amount } },
      }),
    );
    return row.tokens;
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
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return write();
      throw error;
    }
  }
}
