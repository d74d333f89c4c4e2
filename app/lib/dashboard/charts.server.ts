// Lag series for the overview chart (reads lag samples recorded by the sync worker).
import type { PrismaClient } from "@prisma/client";
import type { ChartSeries } from "./charts";

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const hourKey = (date: Date) => `${date.toISOString().slice(11, 13)}:00`;

/** p50 and p95 lag (seconds) per UTC hour over the last `hours`; empty hours have no value. */
export async function lagOverTime(
  db: PrismaClient,
  shop: string,
  hours = 24,
  now = new Date(),
): Promise<ChartSeries[]> {
  const start = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 - (hours - 1) * 3600_000);
  const samples = await db.syncLagSample.findMany({
    where: { shop, recordedAt: { gte: start } },
    select: { lagMs: true, recordedAt: true },
    take: 50_000,
  });
  const buckets = Array.from({ length: hours }, () => [] as number[]);
  for (const sample of samples) {
    const bucket = Math.floor((sample.recordedAt.getTime() - start.getTime()) / 3600_000);
    if (bucket >= 0 && bucket < hours) buckets[bucket].push(sample.lagMs);
  }
  const keys = buckets.map((_, i) => hourKey(new Date(start.getTime() + i * 3600_000)));
  const series = (name: string, p: number): ChartSeries => ({
    name,
    data: buckets.map((bucket, i) => {
      const value = percentile(
        [...bucket].sort((a, b) => a - b),
        p,
      );
      return { key: keys[i], value: value === null ? null : Math.round(value / 100) / 10 };
    }),
  });
  return [series("p50 lag (s)", 50), series("p95 lag (s)", 95)];
}
