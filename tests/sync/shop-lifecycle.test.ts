// Uninstall and redact when the shop's access token has expired and Shopify refuses to refresh it
// (decision 093): the app's real routes and auth code against the store emulator, whose token
// endpoint refuses a refresh after an uninstall (or of a revoked refresh token) as Shopify does.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AdminAccessError, expireRefusedToken } from "../../app/lib/shopify/admin-transport.server";
import { PRODUCT_VERSIONS_PAGE } from "../../app/lib/shopify/product-queries";
import { recordInstall } from "../../app/lib/sync/shop-lifecycle.server";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { installShop, startEmulatedShop, type EmulatedShopHarness } from "./helpers/emulated-shop";
import { FETCH_SEAM_MODULE } from "../../tools/emulator/index";
import { freePort } from "../../tools/lib/ports";

let h: EmulatedShopHarness;

beforeAll(async () => {
  h = await startEmulatedShop();
  h.routes["customers/redact"] = customersRedact;
});

afterAll(async () => {
  await h?.stop();
});

const HOUR = 3_600_000;

/** An installed shop with some data: a product change recorded from a webhook. */
async function installed(shop: string) {
  h.emulator.createShop(shop);
  await installShop(h, shop);
  expect(await h.deliver(shop, "products/create", restPayload(graphqlProduct(1)))).toBe(200);
}

/**
 * An installed shop whose stored offline token expired an hour ago: the session carries the refresh
 * token the emulator issued, so the library would refresh it before using it.
 */
async function installedWithExpiredToken(shop: string) {
  // The data first: a delivery to a shop with an expired token would otherwise refresh it on main.
  await installed(shop);
  const [refreshToken] = [...h.emulator.shop(shop).installation!.refreshTokens.keys()];
  await h.prisma.session.update({
    where: { id: `offline_${shop}` },
    data: { expires: new Date(Date.now() - HOUR), refreshToken, refreshTokenExpires: new Date(Date.now() + 24 * HOUR) },
  });
}

const statuses = (shop: string, topic: string) =>
  h.answered.filter((a) => a.shop === shop && a.topic === topic).map((a) => a.status);

/** Shopify uninstalls the app (app/uninstalled, retried on failure); what the app answered. */
async function uninstallAtShopify(shop: string) {
  h.emulator.uninstallApp(shop);
  await h.emulator.webhooks.idle();
  await h.services.lifecycleJobs.drain();
  return statuses(shop, "app/uninstalled");
}

/** Shopify sends shop/redact; the job it records has run. */
async function redactAtShopify(shop: string) {
  h.emulator.redactShop(shop);
  await h.emulator.webhooks.idle();
  await h.services.lifecycleJobs.drain();
}

async function traces(shop: string) {
  return {
    sessions: await h.prisma.session.count({ where: { shop } }),
    products: await h.prisma.productSync.count({ where: { shop } }),
    deliveries: await h.prisma.webhookDelivery.count({ where: { shop } }),
    shop: await h.prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
  };
}

describe("webhooks of a shop whose token expired", () => {
  it("app/uninstalled answers 200 once, deletes the sessions and marks the shop uninstalled", async () => {
    const SHOP = "expired-uninstall.myshopify.com";
    await installedWithExpiredToken(SHOP);
    // On main: the library's refresh is refused, 500 on every one of the emulator's attempts.
    expect(await uninstallAtShopify(SHOP)).toEqual([200]);
    expect(await traces(SHOP)).toMatchObject({ sessions: 0, products: 1, shop: { uninstalledAt: expect.any(Date) } });
  });

  it("shop/redact answers 200 and removes the shop's data while an expired session is still stored", async () => {
    const SHOP = "expired-redact.myshopify.com";
    await installedWithExpiredToken(SHOP);
    // Uninstalled at Shopify (refresh refused) and recorded here, but a session outlived the uninstall.
    h.emulator.shop(SHOP).installation = null;
    await h.prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date(Date.now() - 48 * HOUR) } });
    await redactAtShopify(SHOP);
    expect(statuses(SHOP, "shop/redact")).toEqual([200]);
    expect(await traces(SHOP)).toEqual({ sessions: 0, products: 0, deliveries: 0, shop: null });
  });

  it("customers/redact answers 200 and removes the customer when the refresh token is refused", async () => {
    const SHOP = "expired-customer.myshopify.com";
    await installedWithExpiredToken(SHOP);
    const customer = JSON.stringify({ id: 4242, first_name: "Ada", updated_at: "2026-11-01T10:00:00Z" });
    await h.services.customers.webhooks.customerUpsert(SHOP, customer);
    expect(await h.services.customers.store.getCustomer(SHOP, "4242")).not.toBeNull();
    // Still installed, but the refresh token is no longer accepted (revoked, or unused for 90 days).
    h.emulator.shop(SHOP).installation!.refreshTokens.clear();
    const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { id: 4242 }, orders_to_redact: [] });
    expect(await h.deliver(SHOP, "customers/redact", body)).toBe(200);
    await h.services.lifecycleJobs.drain();
    expect(await h.services.customers.store.getCustomer(SHOP, "4242")).toBeNull();
  });

  it("Admin API callers get an AdminAccessError for a refused refresh; the import records it and retries", async () => {
    const SHOP = "expired-admin.myshopify.com";
    await installedWithExpiredToken(SHOP);
    h.emulator.shop(SHOP).installation!.refreshTokens.clear();
    const run = await h.services.syncEngine.requestImport(SHOP);
    await h.services.syncEngine.advanceImports();
    const after = await h.prisma.importRun.findUnique({ where: { id: run.id } });
    // Still waiting for the next pass (not failed), with a reason a person can read.
    expect(after).toMatchObject({ status: "requested", error: expect.stringMatching(/no Admin API access/) });
    await expect(h.services.syncEngine.adminFor(SHOP)).rejects.toBeInstanceOf(AdminAccessError);
  });
});

describe("a stored token without expiry (Shopify/shopify-app-js#3400)", () => {
  it("is refreshed when an Admin call gets 401, and the call succeeds", async () => {
    const SHOP = "no-expiry.myshopify.com";
    await installed(SHOP);
    const { installation } = h.emulator.shop(SHOP);
    const [refreshToken] = [...installation!.refreshTokens.keys()];
    // What the library stores for a token answer without expires_in: no expiry, so never refreshed.
    await h.prisma.session.update({
      where: { id: `offline_${SHOP}` },
      data: { expires: null, refreshToken, refreshTokenExpires: new Date(Date.now() + 24 * HOUR) },
    });
    const stale = await h.prisma.session.findUnique({ where: { id: `offline_${SHOP}` } });
    installation!.accessTokens.clear(); // the token has in fact expired: Shopify answers 401
    const admin = await h.services.syncEngine.adminFor(SHOP);
    const result = await admin.query(PRODUCT_VERSIONS_PAGE);
    expect(result.products.nodes).toEqual([]);
    const fresh = await h.prisma.session.findUnique({ where: { id: `offline_${SHOP}` } });
    expect(fresh?.accessToken).not.toBe(stale?.accessToken);
    expect(fresh?.expires?.getTime()).toBeGreaterThan(Date.now());
  });

  it("keeps a token another process refreshed meanwhile (only the refused token is marked expired)", async () => {
    const SHOP = "refreshed-meanwhile.myshopify.com";
    await installed(SHOP);
    const id = `offline_${SHOP}`;
    await h.prisma.session.update({ where: { id }, data: { expires: null, refreshToken: "shprt_current" } });
    const current = await h.prisma.session.findUniqueOrThrow({ where: { id } });
    expect(await expireRefusedToken(h.prisma, id, "shpat_refused_earlier")).toBe(true);
    expect(await h.prisma.session.findUniqueOrThrow({ where: { id } })).toEqual(current);
    expect(await expireRefusedToken(h.prisma, id, current.accessToken)).toBe(true);
    expect((await h.prisma.session.findUniqueOrThrow({ where: { id } })).expires).toBeInstanceOf(Date);
  });
});

describe("shop/redact and app/uninstalled act only on the shop they are about", () => {
  it("keeps every trace of a shop that was installed again before shop/redact arrived", async () => {
    const SHOP = "reinstalled.myshopify.com";
    await installed(SHOP);
    expect(await uninstallAtShopify(SHOP)).toEqual([200]);
    await installShop(h, SHOP);
    await recordInstall(h.prisma, h.services.log, SHOP, "read_products");
    const before = await traces(SHOP);
    expect(before).toMatchObject({ sessions: 1, products: 1, shop: { uninstalledAt: null } });
    await redactAtShopify(SHOP);
    expect(statuses(SHOP, "shop/redact")).toEqual([200]);
    expect(await traces(SHOP)).toEqual(before);
  });

  it.each([
    ["a token without expiry (Admin answers 401)", false],
    ["an expiring token whose refresh Shopify refuses", true],
  ])("L7 tells a lost app/uninstalled from a reinstall: %s → shop/redact redacts", async (_label, expiring) => {
    const SHOP = `lost-uninstall-${expiring ? "expiring" : "plain"}.myshopify.com`;
    if (expiring) await installedWithExpiredToken(SHOP);
    else await installed(SHOP);
    // Uninstalled at Shopify, but the app/uninstalled delivery never reached the app.
    h.emulator.shop(SHOP).installation = null;
    expect(await traces(SHOP)).toMatchObject({ sessions: 1, products: 1, shop: { uninstalledAt: null } });
    await redactAtShopify(SHOP);
    expect(statuses(SHOP, "shop/redact")).toEqual([200]);
    expect(await traces(SHOP)).toEqual({ sessions: 0, products: 0, deliveries: 0, shop: null });
    const [job] = await h.services.lifecycleJobs.list(SHOP);
    expect(job).toMatchObject({ topic: "shop/redact", status: "done", outcome: "redacted" });
  });

  it.each([
    ["a token without expiry", false],
    ["an expiring token (the refresh cannot reach Shopify either)", true],
  ])(
    "L7 a lost app/uninstalled while Shopify is unreachable (%s): nothing deleted, retried, redacted once Shopify answers",
    async (_label, expiring) => {
      const SHOP = `lost-unreachable-${expiring ? "expiring" : "plain"}.myshopify.com`;
      if (expiring) await installedWithExpiredToken(SHOP);
      else await installed(SHOP);
      h.emulator.shop(SHOP).installation = null; // uninstalled at Shopify; the delivery never arrived
      const before = await traces(SHOP);
      expect(before).toMatchObject({ sessions: 1, products: 1, shop: { uninstalledAt: null } });
      const seam = (await import(/* @vite-ignore */ FETCH_SEAM_MODULE)) as { pointSeamAt(url: string): void };
      // Shopify's Admin API (and its token endpoint) unreachable: a port nothing listens on.
      seam.pointSeamAt(`http://127.0.0.1:${await freePort()}`);
      try {
        await redactAtShopify(SHOP);
        expect(statuses(SHOP, "shop/redact")).toEqual([200]);
        // Not knowing is no reason to delete: the attempt fails and waits for a retry.
        expect(await traces(SHOP)).toEqual(before);
        const [waiting] = await h.services.lifecycleJobs.list(SHOP);
        expect(waiting).toMatchObject({ topic: "shop/redact", status: "retrying", attempts: 1 });
        expect(waiting.lastError).toMatch(/fetch failed|ECONNREFUSED|could not be reached/);
        // Still unreachable at the next attempt: still nothing deleted.
        await h.prisma.lifecycleJob.updateMany({ where: { shop: SHOP }, data: { nextAttemptAt: new Date() } });
        await h.services.lifecycleJobs.drain();
        expect(await traces(SHOP)).toEqual(before);
        expect((await h.services.lifecycleJobs.list(SHOP))[0]).toMatchObject({ status: "retrying", attempts: 2 });
      } finally {
        seam.pointSeamAt(h.emulator.url);
      }
      // Shopify answers again (refusing the app's token): the next attempt finds the uninstall lost and redacts.
      await h.prisma.lifecycleJob.updateMany({ where: { shop: SHOP }, data: { nextAttemptAt: new Date() } });
      await h.services.lifecycleJobs.drain();
      expect(await traces(SHOP)).toEqual({ sessions: 0, products: 0, deliveries: 0, shop: null });
      const [job] = await h.services.lifecycleJobs.list(SHOP);
      expect(job).toMatchObject({ topic: "shop/redact", status: "done", outcome: "redacted", attempts: 3 });
    },
  );

  it("acknowledges but ignores a body naming another shop than the header (logged as an error)", async () => {
    const SHOP = "mismatch.myshopify.com";
    const OTHER = "someone-else.myshopify.com";
    await installed(SHOP);
    const errorLog = vi.spyOn(h.services.log, "error");
    try {
      const installed = await traces(SHOP);
      const uninstall = JSON.stringify({ id: 1, domain: OTHER, myshopify_domain: OTHER });
      expect(await h.deliver(SHOP, "app/uninstalled", uninstall, { webhookId: "mismatch-uninstall" })).toBe(200);
      await h.services.lifecycleJobs.drain();
      expect(await traces(SHOP)).toEqual(installed);

      await h.prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date(Date.now() - HOUR) } });
      const uninstalled = await traces(SHOP);
      const redact = JSON.stringify({ shop_id: 1, shop_domain: OTHER });
      expect(await h.deliver(SHOP, "shop/redact", redact, { webhookId: "mismatch-redact" })).toBe(200);
      await h.services.lifecycleJobs.drain();
      expect(await traces(SHOP)).toEqual(uninstalled);

      for (const [webhookId, topic, field] of [
        ["mismatch-uninstall", "APP_UNINSTALLED", "myshopify_domain"],
        ["mismatch-redact", "SHOP_REDACT", "shop_domain"],
      ]) {
        expect(errorLog).toHaveBeenCalledWith(
          { shop: SHOP, topic, webhookId, reason: `${field} ${OTHER} does not match the delivering shop ${SHOP}` },
          expect.stringContaining("payload rejected"),
        );
      }
    } finally {
      errorLog.mockRestore();
    }
  });
});
