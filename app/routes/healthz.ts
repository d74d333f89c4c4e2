import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkHealth, mayReadHealthDetails, publicHealth } from "../lib/health.server";
import { healthDependencies } from "../services.server";

// Public: the status alone (200 ok/degraded, 503 down). The report with components needs
// `Authorization: Bearer <HEALTH_TOKEN>` (docs/decisions/094-bounded-input-and-health.md).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const report = await checkHealth(healthDependencies(services));
  const detailed = mayReadHealthDetails(services.env.HEALTH_TOKEN, request);
  return Response.json(detailed ? report : publicHealth(report), {
    status: report.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store", vary: "Authorization" },
  });
}
