import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkHealth } from "../lib/health.server";
import { healthDependencies } from "../services.server";

export async function loader(_args: LoaderFunctionArgs) {
  const report = await checkHealth(healthDependencies());
  return Response.json(report, {
    status: report.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
