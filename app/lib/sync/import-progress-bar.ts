// A one-line text rendering of import progress, for terminals (`npm run demo`) and logs. Pure.
import type { ImportProgress } from "./sync-stats.server";

const phase: Record<string, string> = {
  requested: "starting export",
  exporting: "Shopify is exporting",
  downloading: "reading the export",
  indexing: "indexing",
  completed: "done",
  failed: "failed",
  cancelled: "cancelled",
};

export function renderImportProgressBar(progress: ImportProgress | null, width = 30): string {
  if (!progress) return "Catalog import: not started";
  const total = progress.total ?? 0;
  const ratio = total > 0 ? Math.min(1, progress.done / total) : progress.status === "completed" ? 1 : 0;
  const filled = Math.round(ratio * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const counts = total > 0 ? `${progress.done}/${total} (${Math.round(ratio * 100)}%)` : `${progress.done}`;
  const rate = progress.rate ? ` ${progress.rate.toFixed(0)}/s` : "";
  const active = !["completed", "failed", "cancelled"].includes(progress.status);
  const eta = progress.etaSeconds !== null && active ? ` ETA ${progress.etaSeconds}s` : "";
  const problems = progress.malformedLines ? ` ${progress.malformedLines} malformed line(s)` : "";
  const error = progress.error && progress.status === "failed" ? `: ${progress.error}` : "";
  const retry =
    active && progress.retryAt ? ` retrying at ${progress.retryAt.toISOString()} after: ${progress.error}` : "";
  return `Catalog import ${bar} ${counts} ${phase[progress.status] ?? progress.status}${rate}${eta}${problems}${error}${retry}`;
}
