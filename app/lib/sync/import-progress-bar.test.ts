import { describe, expect, it } from "vitest";
import { renderImportProgressBar } from "./import-progress-bar";
import type { ImportProgress } from "./sync-stats.server";

const progress = (over: Partial<ImportProgress>): ImportProgress => ({
  id: "run",
  status: "indexing",
  done: 250,
  total: 1000,
  indexed: 250,
  malformedLines: 0,
  malformedSample: [],
  rate: 50,
  etaSeconds: 15,
  startedAt: new Date(0),
  finishedAt: null,
  error: null,
  attempts: 0,
  retryAt: null,
  ...over,
});

describe("renderImportProgressBar", () => {
  it("says when a failed attempt is retried and why", () => {
    const retryAt = new Date("2026-12-02T14:00:00Z");
    expect(
      renderImportProgressBar(
        progress({
          status: "requested",
          attempts: 1,
          retryAt,
          error: "Shopify's export failed (INTERNAL_SERVER_ERROR)",
        }),
        4,
      ),
    ).toBe(
      "Catalog import [#---] 250/1000 (25%) starting export 50/s ETA 15s retrying at 2026-12-02T14:00:00.000Z after: Shopify's export failed (INTERNAL_SERVER_ERROR)",
    );
  });
  it("shows done/total, rate and ETA while indexing", () => {
    expect(renderImportProgressBar(progress({}), 10)).toBe(
      "Catalog import [###-------] 250/1000 (25%) indexing 50/s ETA 15s",
    );
  });
  it("shows a full bar when completed and the reason when failed", () => {
    expect(renderImportProgressBar(progress({ status: "completed", done: 1000, etaSeconds: 0 }), 4)).toBe(
      "Catalog import [####] 1000/1000 (100%) done 50/s",
    );
    expect(
      renderImportProgressBar(
        progress({ status: "failed", total: null, done: 0, rate: null, error: "bulk operation failed" }),
        4,
      ),
    ).toMatch(/failed: bulk operation failed$/);
    expect(renderImportProgressBar(null)).toBe("Catalog import: not started");
  });
});
