// Formatting for the dashboard: the same text on the server and in the browser (times in UTC, so
// hydration never disagrees with the server's render).

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString("en-US");
}

export function formatClock(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return `${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")} UTC`;
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "never";
  const date = new Date(value);
  return `${date.toISOString().slice(0, 10)} ${formatClock(date)}`;
}

/** "3 s", "4 min 10 s", "2 h 5 min": durations people read at a glance. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** Relative to `now`: "just now", "5 min ago", "3 h ago", else the date. */
export function formatAgo(value: Date | string | null | undefined, now: Date = new Date()): string {
  if (!value) return "never";
  const ms = now.getTime() - new Date(value).getTime();
  if (ms < 45_000) return "just now";
  if (ms < 3600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 48 * 3600_000) return `${Math.round(ms / 3600_000)} h ago`;
  return formatDateTime(value);
}

export function formatRate(perSecond: number | null | undefined): string {
  if (!perSecond) return "—";
  return perSecond >= 10 ? `${Math.round(perSecond)} products/s` : `${perSecond.toFixed(1)} products/s`;
}

export function percent(done: number, total: number | null): number {
  if (!total) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
