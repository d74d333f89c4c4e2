// The console guard (tests/kit/console-guard.ts, loaded for every file by vitest.config.ts).
import { describe, expect, it, vi } from "vitest";
import { expectConsoleError } from "./console-guard";

describe("console guard", () => {
  it("lets a declared console.error through, without printing it", () => {
    expectConsoleError(/^declared failure: \d+$/);
    console.error("declared failure: %d", 42);
  });

  it.fails("fails a test whose declared console.error never comes", () => {
    expectConsoleError(/never logged/);
  });

  it.fails("fails a test that calls console.error undeclared", () => {
    console.error("console guard self-test: this undeclared error is meant to fail its test");
  });

  it("leaves console.warn and console.info alone", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    console.warn("a warning");
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
