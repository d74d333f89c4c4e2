import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkHealth } from "../lib/health.server";
import { healthDependencies } from "../services.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const report = await checkHealth(healthDependencies(context.services));
  return Response.json(report, {
    status: report.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
