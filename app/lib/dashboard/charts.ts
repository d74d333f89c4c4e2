// Chart series shapes and the pure series builders (usable in the browser too).

export interface ChartPoint {
  key: string;
  value: number | null;
}

export interface ChartSeries {
  name: string;
  data: ChartPoint[];
}

const dayKey = (date: Date) => date.toISOString().slice(5, 10);

/** Conversations started per UTC day over the last `days` (from already-loaded conversations). */
export function conversationsPerDay(
  conversations: { startedAt: Date | string }[],
  days = 14,
  now = new Date(),
): ChartSeries[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const counts = new Map<string, number>();
  const keys: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const key = dayKey(new Date(today - i * 86_400_000));
    keys.push(key);
    counts.set(key, 0);
  }
  for (const conversation of conversations) {
    const key = dayKey(new Date(conversation.startedAt));
    if (counts.has(key)) counts.set(key, counts.get(key)! + 1);
  }
  return [{ name: "Conversations", data: keys.map((key) => ({ key, value: counts.get(key)! })) }];
}

export function hasValues(series: ChartSeries[]): boolean {
  return series.some((s) => s.data.some((point) => point.value !== null && point.value > 0));
}
