import { readFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BACKGROUND, MARK_POLYGONS, MARK_SIZE, markSvg } from "./aisle-mark";

const publicFile = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../public", name));

describe("Aisle's mark", () => {
  it("stays inside its canvas", () => {
    for (const { points } of MARK_POLYGONS) {
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(MARK_SIZE);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(MARK_SIZE);
      }
    }
  });

  it("is what public/ holds (run tools/icons/render-icons.ts after changing it)", () => {
    expect(publicFile("favicon.svg").toString("utf8")).toBe(markSvg());
    const icon = publicFile("icon-1200.png");
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([MARK_SIZE, MARK_SIZE]);
    // Square and opaque, as Shopify wants the app icon: its top-left pixel is the background.
    const rows = inflateSync(icon.subarray(41, 41 + icon.readUInt32BE(33)));
    expect(rows.subarray(1, 5).toString("hex")).toBe(`${BACKGROUND.fill.slice(1)}ff`);
    const ico = publicFile("favicon.ico");
    expect([0, 1, 2].map((i) => ico[6 + 16 * i])).toEqual([16, 32, 48]);
  });
});
