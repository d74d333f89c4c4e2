// Reads one shop's Results for a period: its attributed orders and funnel counts, into the report.
import type { PrismaClient } from "@prisma/client";
import type { FunnelMetric } from "./funnel-counts.server";
import type { OrderLineFacts } from "./order-facts";
import { buildResultsReport, parsePeriod, ResultsInputError, type Period, type ResultsReport } from "./results-report";

/** The period a dashboard request asks for (`?days=`); an unknown one is a 400 naming the periods there are. */
export function periodFromRequest(request: Request, now = new Date()): Period {
  try {
    return parsePeriod(new URL(request.url).searchParams.get("days"), now);
  } catch (error) {
    if (error instanceof ResultsInputError) throw new Response(error.message, { status: 400 });
    throw error;
  }
}

export async function loadResults(db: PrismaClient, shop: string, period: Period): Promise<ResultsReport> {
  const [orders, counts] = await Promise.all([
    db.orderAttribution.findMany({
      where: { shop, placedAt: { gte: period.start, lt: period.end } },
      select: {
        orderId: true,
        name: true,
        placedAt: true,
        currency: true,
        totalMinor: true,
        refundedMinor: true,
        cancelledAt: true,
        conversationId: true,
        visitorGroup: true,
        chatLinesJson: true,
      },
    }),
    db.resultsDailyCount.findMany({
      where: { shop, day: { gte: period.dayKeys[0], lte: period.dayKeys.at(-1) } },
      select: { day: true, metric: true, group: true, count: true },
    }),
  ]);
  return buildResultsReport(
    period,
    orders.map(({ chatLinesJson, totalMinor, refundedMinor, ...order }) => ({
      ...order,
      totalMinor: Number(totalMinor),
      refundedMinor: Number(refundedMinor),
      chatLines: JSON.parse(chatLinesJson) as OrderLineFacts[],
    })),
    counts.map((count) => ({ ...count, metric: count.metric as FunnelMetric })),
  );
}
