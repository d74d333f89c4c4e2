// The storefront half of the Results funnel: counts per shop, UTC day, metric and visitor group
// (decision 112). Counts only: no visitor, conversation or product is stored here.
import type { PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "../db/prisma-errors";
import type { VisitorGroup } from "./order-facts";

export const FUNNEL_METRICS = ["conversation", "product_click", "add_to_cart", "exposure"] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];
export type CountedGroup = VisitorGroup | "unknown";

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export class FunnelCounts {
  constructor(
    private readonly db: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One more `metric` today. One conditional update; the day's first event creates the row. */
  async add(shop: string, metric: FunnelMetric, group: CountedGroup = "unknown"): Promise<void> {
    const key = { shop, day: utcDay(this.now()), metric, group };
    const bump = () => this.db.resultsDailyCount.updateMany({ where: key, data: { count: { increment: 1 } } });
    if ((await bump()).count) return;
    try {
      await this.db.resultsDailyCount.create({ data: { ...key, count: 1 } });
    } catch (error) {
      // Another request created the row first: count on it.
      if (!isUniqueViolation(error)) throw error;
      await bump();
    }
  }
}
