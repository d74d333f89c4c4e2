// The real server process refuses to start on a bad configuration and says which variable.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { assertBuilt } from "../../tools/stack";

function boot(env: Record<string, string>) {
  assertBuilt();
  const { SHOPIFY_API_KEY: _k, SHOPIFY_API_SECRET: _s, SHOPIFY_APP_URL: _u, ...inherited } = process.env;
  return spawnSync(process.execPath, ["server.mjs"], {
    env: { ...inherited, NODE_ENV: "production", PORT: "0", ENV_FILE: "/dev/null", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("server boot", () => {
  it("exits with a message naming a missing variable", () => {
    const result = boot({ SHOPIFY_API_KEY: "k", SHOPIFY_APP_URL: "https://aisle.example.com" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("SHOPIFY_API_SECRET is required but not set");
  });

  it("exits with a message naming an invalid variable", () => {
    const result = boot({
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://aisle.example.com",
      CHROMA_URL: "chroma-at-port-8000",
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/CHROMA_URL must be an absolute URL/);
  });
});
