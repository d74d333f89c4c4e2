import { BlockStack, Badge, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { formatClock, formatCount, formatDuration, formatRate, percent } from "../lib/dashboard/format";

export interface ImportProgressView {
  id: string;
  status: string;
  done: number;
  total: number | null;
  rate: number | null;
  etaSeconds: number | null;
  malformedLines: number;
  error: string | null;
  attempts: number;
  retryAt: string | Date | null;
  startedAt: string | Date;
  finishedAt: string | Date | null;
}

const statusLabels: Record<string, string> = {
  requested: "Starting",
  exporting: "Shopify is exporting the catalog",
  downloading: "Reading the export",
  indexing: "Indexing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function ImportProgress({ progress }: { progress: ImportProgressView }) {
  const value =
    progress.status === "completed" ? 100 : progress.total ? percent(progress.done, progress.total) : undefined;
  // A failed attempt waiting out its backoff; the run itself is still under way.
  const waiting = Boolean(progress.retryAt) && progress.status !== "failed" && progress.status !== "completed";
  const tone = progress.status === "failed" ? "critical" : progress.status === "completed" ? "success" : "highlight";
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          {statusLabels[progress.status] ?? progress.status}
        </Text>
        <Badge tone={progress.status === "failed" ? "critical" : progress.status === "completed" ? "success" : "info"}>
          {value === undefined ? "…" : `${value}%`}
        </Badge>
      </InlineStack>
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value ?? 0}
        data-import-status={progress.status}
      >
        <ProgressBar progress={value ?? 0} tone={tone} animated={progress.status !== "completed"} />
      </div>
      <InlineStack gap="400">
        <Text as="span" variant="bodySm" tone="subdued">
          {formatCount(progress.done)} of {progress.total === null ? "?" : formatCount(progress.total)} products
        </Text>
        <Text as="span" variant="bodySm" tone="subdued">
          Rate: {formatRate(progress.rate)}
        </Text>
        <Text as="span" variant="bodySm" tone="subdued">
          {progress.status === "completed"
            ? "Done"
            : `ETA: ${progress.etaSeconds === null ? "estimating…" : formatDuration(progress.etaSeconds * 1000)}`}
        </Text>
        {progress.malformedLines > 0 && (
          <Text as="span" variant="bodySm" tone="caution">
            {formatCount(progress.malformedLines)} malformed lines skipped
          </Text>
        )}
      </InlineStack>
      {waiting ? (
        <Text as="p" tone="caution">
          {`${progress.error ?? "The last attempt failed"}. Aisle tries again at ${formatClock(progress.retryAt)}` +
            ` (failed attempts so far: ${progress.attempts}); nothing needs doing.`}
        </Text>
      ) : (
        progress.error && (
          <Text as="p" tone={progress.status === "failed" ? "critical" : "subdued"}>
            {progress.status === "failed" ? progress.error : `Recovered from: ${progress.error}`}
          </Text>
        )
      )}
    </BlockStack>
  );
}
