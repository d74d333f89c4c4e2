import { describe, expect, it } from "vitest";
import { cachedProbe, mayReadHealthDetails, publicHealth, type HealthReport } from "./health.server";

describe("cachedProbe", () => {
  it("shares one call, success or failure, among the checks of one window", async () => {
    let clock = 0;
    let calls = 0;
    const probe = cachedProbe(
      async () => {
        calls += 1;
        if (calls === 2) throw new Error("provider down");
      },
      30_000,
      () => clock,
    );
    await Promise.all([probe(), probe(), probe()]);
    clock = 29_999;
    await probe();
    expect(calls).toBe(1);
    clock = 30_000;
    await expect(probe()).rejects.toThrow("provider down");
    await expect(probe()).rejects.toThrow("provider down");
    expect(calls).toBe(2);
  });
});

describe("mayReadHealthDetails", () => {
  const withAuth = (value?: string) =>
    new Request("http://app.test/healthz", { headers: value ? { authorization: value } : {} });

  it("needs the configured token as a bearer token", () => {
    const token = "a-health-token-of-some-length";
    expect(mayReadHealthDetails(token, withAuth(`Bearer ${token}`))).toBe(true);
    expect(mayReadHealthDetails(token, withAuth(token))).toBe(false);
    expect(mayReadHealthDetails(token, withAuth(`Bearer ${token}x`))).toBe(false);
    expect(mayReadHealthDetails(token, withAuth())).toBe(false);
  });

  it("never serves details when no token is configured", () => {
    expect(mayReadHealthDetails(undefined, withAuth("Bearer "))).toBe(false);
    expect(mayReadHealthDetails(undefined, withAuth("Bearer undefined"))).toBe(false);
  });
});

describe("publicHealth", () => {
  it("keeps the status only", () => {
    const down = { status: "down", detail: "connect ECONNREFUSED 10.0.0.5:8000" } as const;
    const report: HealthReport = {
      status: "down",
      checkedAt: "2026-12-02T00:00:00.000Z",
      components: { database: down, vectorStore: down, embedder: down, llm: down, customerStore: down },
    };
    expect(publicHealth(report)).toEqual({ status: "down" });
  });
});
