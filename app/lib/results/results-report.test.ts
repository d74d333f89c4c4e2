import { describe, expect, it } from "vitest";
import { buildResultsReport, parsePeriod, ResultsInputError, resultsCsv, type ResultsOrder } from "./results-report";

const NOW = new Date("2026-03-10T15:00:00Z");
const order = (overrides: Partial<ResultsOrder>): ResultsOrder => ({
  orderId: "1",
  name: "#1001",
  placedAt: new Date("2026-03-09T10:00:00Z"),
  currency: "EUR",
  totalMinor: 10000,
  refundedMinor: 0,
  cancelledAt: null,
  conversationId: null,
  visitorGroup: null,
  chatLines: [],
  ...overrides,
});

describe("results period", () => {
  it("covers whole UTC days up to today, 30 by default", () => {
    const period = parsePeriod(null, NOW);
    expect(period.days).toBe(30);
    expect(period.end.toISOString()).toBe("2026-03-11T00:00:00.000Z");
    expect(period.dayKeys[0]).toBe("2026-02-09");
    expect(period.dayKeys.at(-1)).toBe("2026-03-10");
    expect(parsePeriod("7", NOW).dayKeys).toHaveLength(7);
  });

  it("refuses other periods, saying which exist", () => {
    expect(() => parsePeriod("365", NOW)).toThrow(ResultsInputError);
    expect(() => parsePeriod("abc", NOW)).toThrow(/choose 7, 30, 90 days/);
  });
});

describe("results report", () => {
  const period = parsePeriod("7", NOW);
  const orders = [
    order({
      orderId: "a1",
      conversationId: "c1",
      chatLines: [{ productId: "11", title: "Tent", quantity: 1, amountMinor: 8000 }],
    }),
    order({
      orderId: "a2",
      conversationId: "c2",
      totalMinor: 5000,
      refundedMinor: 1000,
      placedAt: new Date("2026-03-10T09:00:00Z"),
      chatLines: [{ productId: "11", title: "Tent", quantity: 2, amountMinor: 4000 }],
    }),
    order({ orderId: "a3", conversationId: "c3", cancelledAt: new Date("2026-03-10T10:00:00Z"), refundedMinor: 10000 }),
    order({ orderId: "u1", totalMinor: 2000 }),
    order({ orderId: "u2", totalMinor: 4000, placedAt: new Date("2026-03-10T11:00:00Z") }),
    order({ orderId: "old", conversationId: "c9", placedAt: new Date("2026-02-01T10:00:00Z") }),
    order({ orderId: "usd", currency: "USD", placedAt: new Date("2026-03-10T11:00:00Z") }),
  ];
  const counts = [
    { day: "2026-03-09", metric: "conversation" as const, group: "assistant", count: 10 },
    { day: "2026-03-10", metric: "conversation" as const, group: "assistant", count: 5 },
    { day: "2026-03-10", metric: "product_click" as const, group: "assistant", count: 6 },
    { day: "2026-03-10", metric: "add_to_cart" as const, group: "assistant", count: 4 },
    { day: "2026-01-10", metric: "add_to_cart" as const, group: "assistant", count: 99 },
  ];
  const report = buildResultsReport(period, orders, counts);

  it("counts net revenue of assisted orders, without cancelled ones, and compares with the others", () => {
    expect(report.currency).toBe("EUR");
    expect(report.otherCurrencyOrders).toBe(1);
    expect(report.assisted).toEqual({
      orders: 2,
      revenueMinor: 14000,
      aovMinor: 7000,
      refundedMinor: 11000,
      cancelled: 1,
    });
    expect(report.unassisted).toEqual({ orders: 2, revenueMinor: 6000, aovMinor: 3000 });
    expect(report.assistedShare).toBe(0.5);
    expect(report.funnel).toEqual({ conversations: 15, productClicks: 6, addsToCart: 4, orders: 2 });
  });

  it("splits by UTC day, ranks the products sold through chat and lists the latest assisted orders", () => {
    const byDay = Object.fromEntries(report.days.map((day) => [day.day, day]));
    expect(byDay["2026-03-09"]).toMatchObject({ assistedOrders: 1, assistedRevenueMinor: 10000, otherOrders: 1 });
    expect(byDay["2026-03-10"]).toMatchObject({ assistedOrders: 1, assistedRevenueMinor: 4000, conversations: 5 });
    expect(report.topProducts).toEqual([{ productId: "11", title: "Tent", quantity: 3, revenueMinor: 12000 }]);
    expect(report.recentAssisted.map((o) => o.orderId)).toEqual(["a2", "a1", "a3"]);
    expect(report.empty).toBe(false);
  });

  it("writes one CSV row per day with plain decimals", () => {
    const lines = resultsCsv(report).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "date,currency,assisted_orders,assisted_revenue,other_orders,other_revenue,conversations,product_clicks,adds_to_cart",
    );
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toBe("2026-03-10,EUR,1,40.00,1,40.00,5,6,4");
  });

  it("is empty with no orders and no chat in the period", () => {
    const empty = buildResultsReport(period, [], []);
    expect(empty.empty).toBe(true);
    expect(empty.assisted.aovMinor).toBeNull();
    expect(empty.assistedShare).toBeNull();
  });
});
