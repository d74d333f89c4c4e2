// Importing the app's modules starts nothing: no timer, interval, worker, socket or file handle.
// Background work begins only when the server calls startBackgroundJobs (docs/decisions/092).
import { afterEach, beforeEach, describe, expect, it } from "vitest";

type TimerKind = "setTimeout" | "setInterval" | "setImmediate";
const KINDS: TimerKind[] = ["setTimeout", "setInterval", "setImmediate"];

/** Every timer scheduled while `fn` runs, with the app file that scheduled it (if any). */
async function timersScheduledDuring(fn: () => Promise<void>) {
  const scheduled: { kind: TimerKind; from: string }[] = [];
  const originals = Object.fromEntries(KINDS.map((kind) => [kind, globalThis[kind]])) as Record<TimerKind, unknown>;
  for (const kind of KINDS) {
    const original = originals[kind] as (...args: unknown[]) => unknown;
    (globalThis as Record<string, unknown>)[kind] = (...args: unknown[]) => {
      const from = new Error().stack?.split("\n").find((line) => /\/app\/.*\.tsx?/.test(line)) ?? "";
      if (from) scheduled.push({ kind, from: from.trim() });
      return original(...args);
    };
  }
  try {
    await fn();
  } finally {
    for (const kind of KINDS) (globalThis as Record<string, unknown>)[kind] = originals[kind];
  }
  return scheduled;
}

const count = (list: string[]) => list.reduce<Record<string, number>>((c, k) => ({ ...c, [k]: (c[k] ?? 0) + 1 }), {});

describe("importing every module under app/", () => {
  let before: Record<string, number>;
  beforeEach(() => {
    // The process's own stdio streams are created lazily on first access (a library checking
    // `process.stdout.isTTY` does it); they are not work a module started.
    void [process.stdin, process.stdout, process.stderr];
    before = count(process.getActiveResourcesInfo());
  });
  afterEach(() => {
    before = {};
  });

  it("schedules no timer and opens no handle", async () => {
    const modules = import.meta.glob(["../../app/**/*.{ts,tsx}", "!../../app/**/*.test.ts", "!../../app/**/*.d.ts"]);
    expect(Object.keys(modules).length).toBeGreaterThan(80);
    const scheduled = await timersScheduledDuring(async () => {
      for (const load of Object.values(modules)) await load();
    });
    expect(scheduled).toEqual([]);
    // Let anything started asynchronously by a module body show up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = count(process.getActiveResourcesInfo());
    const grown = Object.entries(after).filter(([kind, n]) => n > (before[kind] ?? 0));
    expect(grown).toEqual([]);
  });
});
