// The Results page's view model (decision 112), pure: from the period's attributed orders and funnel
// counts to the figures, the per-day series, the funnel, the top products and the CSV. Days are UTC.
// Revenue is net: refunds taken off, cancelled orders count for nothing and are not counted as orders.
import type { ChartSeries } from "../dashboard/charts";
import type { FunnelMetric } from "./funnel-counts.server";
import { compareGroups, type HoldoutComparison } from "./holdout-stats";
import type { OrderLineFacts } from "./order-facts";

export const PERIOD_DAYS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];
export const DEFAULT_PERIOD: PeriodDays = 30;

export class ResultsInputError extends Error {}

export interface Period {
  days: PeriodDays;
  /** Inclusive, 00:00 UTC of the first day. */
  start: Date;
  /** Exclusive: 00:00 UTC of the day after today. */
  end: Date;
  /** YYYY-MM-DD of every day, oldest first. */
  dayKeys: string[];
}

const DAY_MS = 86_400_000;

/** Revenue an order still counts for: nothing once cancelled, less what was refunded. */
export function netMinor(order: { totalMinor: number; refundedMinor: number; cancelledAt: Date | null }): number {
  return order.cancelledAt ? 0 : Math.max(0, order.totalMinor - order.refundedMinor);
}
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** `?days=7|30|90` (absent: 30); anything else is refused with a message naming the choices. */
export function parsePeriod(value: string | null, now: Date): Period {
  const days = value === null || value === "" ? DEFAULT_PERIOD : Number(value);
  if (!PERIOD_DAYS.includes(days as PeriodDays))
    throw new ResultsInputError(`Unknown period "${value}": choose ${PERIOD_DAYS.join(", ")} days.`);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  const start = end - days * DAY_MS;
  return {
    days: days as PeriodDays,
    start: new Date(start),
    end: new Date(end),
    dayKeys: Array.from({ length: days }, (_, i) => utcDay(new Date(start + i * DAY_MS))),
  };
}

/** An OrderAttribution row as the report reads it (amounts as numbers of hundredths). */
export interface ResultsOrder {
  orderId: string;
  name: string;
  placedAt: Date;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  cancelledAt: Date | null;
  conversationId: string | null;
  visitorGroup: string | null;
  chatLines: OrderLineFacts[];
}

export interface ResultsCount {
  day: string;
  metric: FunnelMetric;
  group: string;
  count: number;
}

export interface ResultsDay {
  day: string;
  assistedOrders: number;
  assistedRevenueMinor: number;
  otherOrders: number;
  otherRevenueMinor: number;
  conversations: number;
  productClicks: number;
  addsToCart: number;
}

export interface TopProduct {
  productId: string;
  title: string;
  quantity: number;
  revenueMinor: number;
}

export interface ResultsReport {
  period: { days: PeriodDays; start: string; end: string };
  /** The currency the figures are in (the shop's); orders in any other are listed apart, not summed. */
  currency: string | null;
  otherCurrencyOrders: number;
  assisted: { orders: number; revenueMinor: number; aovMinor: number | null; refundedMinor: number; cancelled: number };
  unassisted: { orders: number; revenueMinor: number; aovMinor: number | null };
  /** Share of all (not cancelled) orders that were assisted, 0..1; null without orders. */
  assistedShare: number | null;
  funnel: { conversations: number; productClicks: number; addsToCart: number; orders: number };
  days: ResultsDay[];
  topProducts: TopProduct[];
  /** The newest assisted orders, each with the conversation it came from. */
  recentAssisted: { orderId: string; name: string; placedAt: string; conversationId: string; revenueMinor: number }[];
  /**
   * The holdout test (decision 113): orders per exposed visitor in each group, all currencies, cancelled
   * orders left out. Null while no visitor of the holdout group was seen in the period.
   */
  holdout: HoldoutComparison | null;
  empty: boolean;
}

const mostCommon = (values: string[]): string | null => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
};

export function buildResultsReport(
  period: Period,
  orders: ResultsOrder[],
  counts: ResultsCount[],
  options: { topProducts?: number; recent?: number } = {},
): ResultsReport {
  const currency = mostCommon(orders.map((order) => order.currency));
  const inPeriod = orders.filter((order) => order.placedAt >= period.start && order.placedAt < period.end);
  const same = inPeriod.filter((order) => order.currency === currency);
  const byDay = new Map<string, ResultsDay>(
    period.dayKeys.map((day) => [
      day,
      {
        day,
        assistedOrders: 0,
        assistedRevenueMinor: 0,
        otherOrders: 0,
        otherRevenueMinor: 0,
        conversations: 0,
        productClicks: 0,
        addsToCart: 0,
      },
    ]),
  );
  const assisted = { orders: 0, revenueMinor: 0, aovMinor: null as number | null, refundedMinor: 0, cancelled: 0 };
  const unassisted = { orders: 0, revenueMinor: 0, aovMinor: null as number | null };
  const products = new Map<string, TopProduct>();
  for (const order of same) {
    const day = byDay.get(utcDay(order.placedAt))!;
    const isAssisted = order.conversationId !== null;
    if (isAssisted) assisted.refundedMinor += Math.min(order.refundedMinor, order.totalMinor);
    if (order.cancelledAt) {
      if (isAssisted) assisted.cancelled++;
      continue;
    }
    const net = netMinor(order);
    if (isAssisted) {
      assisted.orders++;
      assisted.revenueMinor += net;
      day.assistedOrders++;
      day.assistedRevenueMinor += net;
      for (const line of order.chatLines) {
        const key = line.productId ?? line.title;
        const product = products.get(key) ?? { productId: key, title: line.title, quantity: 0, revenueMinor: 0 };
        product.quantity += line.quantity;
        product.revenueMinor += line.amountMinor;
        products.set(key, product);
      }
    } else {
      unassisted.orders++;
      unassisted.revenueMinor += net;
      day.otherOrders++;
      day.otherRevenueMinor += net;
    }
  }
  assisted.aovMinor = assisted.orders ? Math.round(assisted.revenueMinor / assisted.orders) : null;
  unassisted.aovMinor = unassisted.orders ? Math.round(unassisted.revenueMinor / unassisted.orders) : null;

  const funnel = { conversations: 0, productClicks: 0, addsToCart: 0, orders: assisted.orders };
  const fields = { conversation: "conversations", product_click: "productClicks", add_to_cart: "addsToCart" } as const;
  for (const count of counts) {
    const day = byDay.get(count.day);
    if (!day || count.metric === "exposure") continue;
    day[fields[count.metric]] += count.count;
    funnel[fields[count.metric]] += count.count;
  }
  const allOrders = assisted.orders + unassisted.orders;
  const exposures = { assistant: 0, holdout: 0 };
  for (const count of counts)
    if (
      count.metric === "exposure" &&
      byDay.has(count.day) &&
      (count.group === "assistant" || count.group === "holdout")
    )
      exposures[count.group] += count.count;
  const groupOrders = (group: string) =>
    inPeriod.filter((order) => order.visitorGroup === group && !order.cancelledAt).length;
  const holdout = exposures.holdout
    ? compareGroups(
        { visitors: exposures.assistant, orders: groupOrders("assistant") },
        { visitors: exposures.holdout, orders: groupOrders("holdout") },
      )
    : null;
  return {
    period: { days: period.days, start: period.start.toISOString(), end: period.end.toISOString() },
    currency,
    otherCurrencyOrders: inPeriod.length - same.length,
    assisted,
    unassisted,
    assistedShare: allOrders ? assisted.orders / allOrders : null,
    funnel,
    days: [...byDay.values()],
    topProducts: [...products.values()]
      .sort((a, b) => b.revenueMinor - a.revenueMinor || b.quantity - a.quantity || a.title.localeCompare(b.title))
      .slice(0, options.topProducts ?? 10),
    recentAssisted: same
      .filter((order) => order.conversationId !== null)
      .sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime())
      .slice(0, options.recent ?? 10)
      .map((order) => ({
        orderId: order.orderId,
        name: order.name,
        placedAt: order.placedAt.toISOString(),
        conversationId: order.conversationId!,
        revenueMinor: netMinor(order),
      })),
    holdout,
    empty: inPeriod.length === 0 && funnel.conversations === 0 && funnel.productClicks === 0,
  };
}

/** Hundredths → "1,234.50" (the page adds the currency code: the shop's money format is not known here). */
export function formatMinor(minor: number | null): string {
  if (minor === null) return "—";
  return (minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Assisted orders and revenue per day, for the chart (revenue in units, not hundredths). */
export function resultsSeries(report: ResultsReport): ChartSeries[] {
  const key = (day: string) => day.slice(5);
  return [
    { name: "Assisted orders", data: report.days.map((d) => ({ key: key(d.day), value: d.assistedOrders })) },
    {
      name: `Assisted revenue${report.currency ? ` (${report.currency})` : ""}`,
      data: report.days.map((d) => ({ key: key(d.day), value: d.assistedRevenueMinor / 100 })),
    },
  ];
}

const CSV_COLUMNS = [
  "date",
  "currency",
  "assisted_orders",
  "assisted_revenue",
  "other_orders",
  "other_revenue",
  "conversations",
  "product_clicks",
  "adds_to_cart",
] as const;

/** One row per day; amounts as plain decimals with a dot (spreadsheets read them as numbers). */
export function resultsCsv(report: ResultsReport): string {
  const decimal = (minor: number) => (minor / 100).toFixed(2);
  const rows = report.days.map((d) =>
    [
      d.day,
      report.currency ?? "",
      d.assistedOrders,
      decimal(d.assistedRevenueMinor),
      d.otherOrders,
      decimal(d.otherRevenueMinor),
      d.conversations,
      d.productClicks,
      d.addsToCart,
    ].join(","),
  );
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}
