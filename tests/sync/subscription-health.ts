// O2 (issue 14, Deliver 5; decision 107): the app compares the webhook subscriptions Shopify keeps for
// each installed shop with shopify.app.toml. The store emulator serves `webhookSubscriptions` and
// `currentAppInstallation` as Shopify does: shop-scoped subscriptions only (app-scoped ones from the TOML
// are delivered but not listed), cursor pages of at most 250, 401 for a refused token. Its fault knobs
// make a subscription missing (a scope the shop never granted) or extra (a shop-scoped subscription).
// On one store configuration (each *.test.ts file names one): the shops and their sessions are read
// from the configuration's database.
import { describe, expect, it } from "vitest";
import { shopifyAppTransport } from "../../app/lib/shopify/admin-transport.server";
import { SubscriptionHealth } from "../../app/lib/sync/subscription-health.server";
import type { StoreConfiguration } from "../helpers/store-configurations";
import { emulatedShopOn, installShop, type EmulatedShopHarness } from "./helpers/emulated-shop";

export function subscriptionHealthChecks(configuration: StoreConfiguration) {
  let h: EmulatedShopHarness;
  emulatedShopOn(configuration, (started) => (h = started));

  const HOUR = 3_600_000;

  /** A checker of the test's own (its interval), over the app's Admin access. */
  const subscriptionHealth = (intervalMs: number) =>
    new SubscriptionHealth({
      db: h.prisma,
      log: h.services.log,
      transportFor: shopifyAppTransport((shop) => h.services.shopify.unauthenticated.admin(shop)),
      appUrl: h.env.SHOPIFY_APP_URL,
      intervalMs,
    });

  async function newShop(domain: string) {
    h.emulator.createShop(domain);
    await installShop(h, domain);
  }

  describe(`O2 subscription health (${configuration.label})`, () => {
    it("O2 a shop as configured is ok; a missing and an extra subscription are reported with reasons", async () => {
      const OK = configuration.shop("subs-ok");
      const DRIFT = configuration.shop("subs-drift");
      await newShop(OK);
      await newShop(DRIFT);
      // Missing: the install never granted read_orders, so Shopify does not deliver orders/* to this shop.
      h.emulator.revokeScope(DRIFT, "read_orders");
      // Extra: a shop-scoped subscription left by an older app version, to an address the app no longer has.
      h.emulator.addShopSubscription(DRIFT, "products/update", "https://old-tunnel.example.com/webhooks");
      h.emulator.addShopSubscription(DRIFT, "orders/paid", `${h.env.SHOPIFY_APP_URL}/webhooks/orders/paid`);

      const reports = await h.services.subscriptionHealth.checkAll();
      const ok = reports.find((r) => r.shop === OK)!;
      const drift = reports.find((r) => r.shop === DRIFT)!;
      expect(ok).toMatchObject({ state: "ok", missing: [], extra: [] });
      expect(drift.state).toBe("drift");
      expect(drift.missing.map((m) => m.topic)).toEqual(["orders/create", "orders/updated"]);
      expect(drift.missing[0].reason).toMatch(/read_orders not granted/);
      expect(drift.extra.map((e) => [e.topic, e.uri])).toEqual([
        ["products/update", "https://old-tunnel.example.com/webhooks"],
        ["ORDERS_PAID", `${h.env.SHOPIFY_APP_URL}/webhooks/orders/paid`],
      ]);
      expect(drift.extra[0].reason).toMatch(/another address/);
      expect(drift.extra[1].reason).toBe("not in shopify.app.toml");
      // What the dashboard shows (the overview loader asks for a report at most 15 minutes old).
      expect(await h.services.subscriptionHealth.recentReport(DRIFT, 15 * 60_000)).toBe(drift);
      console.info(
        `[O2 ${configuration.label}] drift shop: ${drift.missing.length} missing, ${drift.extra.length} extra; ok shop: ok`,
      );
    });

    it("O2 a topic reported missing is in fact not delivered (emulator, as Shopify)", async () => {
      const SHOP = configuration.shop("subs-delivery");
      await newShop(SHOP);
      const store = h.emulator.shop(SHOP).store;
      const created = () => h.emulator.webhooks.log.filter((d) => d.shop === SHOP && d.topic === "products/create");
      store.createProduct({ title: "Delivered" });
      await h.emulator.webhooks.idle();
      expect(created()).toHaveLength(1);
      h.emulator.revokeScope(SHOP, "read_products");
      store.createProduct({ title: "Not delivered" });
      await h.emulator.webhooks.idle();
      expect(created()).toHaveLength(1);
      expect((await h.services.subscriptionHealth.checkShop(SHOP)).missing.map((m) => m.topic)).toEqual([
        "products/create",
        "products/update",
        "products/delete",
      ]);
    });

    it("O2 pages through more than one page of shop-scoped subscriptions", async () => {
      const SHOP = configuration.shop("subs-many");
      await newShop(SHOP);
      for (let i = 0; i < 130; i++) h.emulator.addShopSubscription(SHOP, "products/update", `https://x.example/${i}`);
      const report = await h.services.subscriptionHealth.checkShop(SHOP);
      expect(report.extra).toHaveLength(130);
      expect(new Set(report.extra.map((e) => e.id)).size).toBe(130);
    });

    it("O2 a shop whose token is refused is reported unreachable; the other shops are still checked", async () => {
      const REFUSED = configuration.shop("subs-refused");
      const FINE = configuration.shop("subs-fine");
      await newShop(REFUSED);
      await newShop(FINE);
      // The stored token expired and Shopify refuses the refresh (revoked refresh token).
      await h.prisma.session.update({
        where: { id: `offline_${REFUSED}` },
        data: {
          expires: new Date(Date.now() - HOUR),
          refreshToken: "shprt_revoked",
          refreshTokenExpires: new Date(Date.now() + HOUR),
        },
      });
      const reports = await h.services.subscriptionHealth.checkAll();
      const refused = reports.find((r) => r.shop === REFUSED)!;
      expect(refused.state).toBe("unreachable");
      expect(refused.error).toMatch(/no Admin API access/);
      expect(reports.find((r) => r.shop === FINE)?.state).toBe("ok");
      console.info(`[O2 ${configuration.label}] refused shop: ${refused.state} (${refused.error})`);
    });

    it("O2 a 401 on a token stored as valid, with nothing to refresh with, is reported too", async () => {
      const SHOP = configuration.shop("subs-401");
      await newShop(SHOP);
      h.emulator.shop(SHOP).installation!.accessTokens.clear();
      const health = subscriptionHealth(0);
      const report = await health.checkShop(SHOP);
      expect(report.state).toBe("unreachable");
      expect(report.error).toBeTruthy();
    });

    it("O2 the background loop checks at boot", async () => {
      const SHOP = configuration.shop("subs-boot");
      await newShop(SHOP);
      const health = subscriptionHealth(60_000);
      health.start();
      try {
        await expect.poll(() => health.report(SHOP)?.state, { timeout: 20_000 }).toBe("ok");
      } finally {
        await health.stop();
      }
    });
  });
}
