// The holdout test (decision 113) on the real parts in process: 2,000 new visitors open the widget's session
// (the app assigns each a group from its signed id and counts the exposure), some of them buy, their orders
// arrive through the real orders/create route and worker, and the Results report's per-group figures equal
// those computed here from the orders themselves. Not through a browser: the storefront side (widget hides
// the launcher, cart carries the group) is covered by tests/widget and tests/e2e/results.spec.ts.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareGroups } from "../../app/lib/results/holdout-stats";
import { parsePeriod } from "../../app/lib/results/results-report";
import { loadResults } from "../../app/lib/results/results.server";
import { DEFAULT_ASSISTANT_SETTINGS } from "../../app/lib/settings/assistant-settings";
import { saveAssistantSettings } from "../../app/lib/settings/settings-store.server";
import { startChatSession } from "../../app/lib/storefront/session.server";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { signedWebhookRequest } from "../kit/signed-requests";
import { createTestApp, type TestApp } from "../kit/test-app";
import { orderBody } from "./order-body";

const SHOP = "holdout-shop.myshopify.com";
const VISITORS = 2000;

/** A small seeded generator: the same run every time. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("a 50 % holdout over 2,000 visitors", () => {
  let app: TestApp;
  const groups: string[] = [];

  beforeAll(async () => {
    app = createTestApp();
    const saved = await saveAssistantSettings(app.services.prisma, SHOP, {
      ...DEFAULT_ASSISTANT_SETTINGS,
      holdoutPercent: 50,
    });
    expect(saved.ok).toBe(true);
  });
  afterAll(() => app?.close());

  const session = (body: Record<string, unknown>) =>
    startChatSession(
      app.services.storefront.token,
      app.services.storefront.chat,
      { shop: SHOP, customerId: null },
      new Request("https://app.example/proxy/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ origin: `https://${SHOP}`, ...body }),
      }),
    );

  it("splits the visitors within 45–55 %, keeps each in its group and lets no client pick one", async () => {
    const visitors: string[] = [];
    for (let i = 0; i < VISITORS; i++) {
      const started = await session({ visitorId: null, exposure: true });
      visitors.push(started.visitorId);
      groups.push(started.group);
    }
    const held = groups.filter((group) => group === "holdout").length;
    expect(held / VISITORS).toBeGreaterThanOrEqual(0.45);
    expect(held / VISITORS).toBeLessThanOrEqual(0.55);
    const again = await session({ visitorId: visitors[0], group: "assistant" });
    expect(again.group).toBe(groups[0]);
    const exposures = await app.services.prisma.resultsDailyCount.findMany({
      where: { shop: SHOP, metric: "exposure" },
    });
    const exposed = (group: string) =>
      exposures.filter((row) => row.group === group).reduce((n, row) => n + row.count, 0);
    // The repeat visit sent no exposure: each visitor counted once.
    expect([exposed("assistant"), exposed("holdout")]).toEqual([VISITORS - held, held]);
  });

  it("shows per-group conversion equal to what the orders say, with the interval of those numbers", async () => {
    const random = seeded(18);
    const now = new Date();
    const bought = { assistant: 0, holdout: 0 };
    let id = 9_100_000_000_000_000_000n;
    let orders = 0;
    for (const group of groups) {
      // The assistant group buys a little more often: 7 % against 5 %.
      if (random() >= (group === "assistant" ? 0.07 : 0.05)) continue;
      id += 1n;
      const cancelled = ++orders === 4; // one cancelled order: not a conversion
      if (!cancelled) bought[group as "assistant" | "holdout"]++;
      const at = now.toISOString().replace(/\.\d{3}Z$/, "Z");
      const body = orderBody({
        id: String(id),
        updatedAt: at,
        placedAt: at,
        group,
        cancelledAt: cancelled ? at : undefined,
      });
      const request = signedWebhookRequest({
        appUrl: app.env.SHOPIFY_APP_URL,
        secret: app.env.SHOPIFY_API_SECRET,
        shop: SHOP,
        topic: "orders/create",
        body,
        webhookId: randomUUID(),
      });
      expect((await app.call(ordersCreate, request)).status).toBe(200);
    }
    await app.services.lifecycleJobs.drain();

    const report = await loadResults(app.services.prisma, SHOP, parsePeriod("7", now));
    const held = groups.filter((group) => group === "holdout").length;
    const expected = compareGroups(
      { visitors: VISITORS - held, orders: bought.assistant },
      { visitors: held, orders: bought.holdout },
    );
    expect(report.holdout).toEqual(expected);
    expect(report.holdout!.assistant.conversion).toBe(bought.assistant / (VISITORS - held));
    expect(report.holdout!.holdout.conversion).toBe(bought.holdout / held);
    expect(bought.assistant + bought.holdout).toBeGreaterThan(60);
  });
});
