// Results of the session's shop for `?days=` as a CSV download (one row per UTC day).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadResults, periodFromRequest } from "../lib/results/results.server";
import { resultsCsv } from "../lib/results/results-report";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, prisma } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const period = periodFromRequest(request);
  const report = await loadResults(prisma, session.shop, period);
  return new Response(resultsCsv(report), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="aisle-results-${report.period.start.slice(0, 10)}-${period.days}d.csv"`,
    },
  });
}
