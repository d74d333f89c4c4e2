// The app's real auth code against the emulator, through the fetch seam only: managed install with
// token exchange (authenticate.admin), the offline session used by unauthenticated.admin inside the app,
// webhooks verified by the library's webhooks.validate (decision 093), and app proxy requests verified
// by authenticate.public.appProxy.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulatedStack, type EmulatedStack } from "../../tools/emulator/emulated-stack";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { WebhookDelivery } from "../../tools/emulator/webhooks/delivery";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { signedProxyRequest } from "../kit/signed-requests";

const SHOP = "auth-check.myshopify.com";
let running: EmulatedStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-emulator-auth-"));
  running = await startEmulatedStack({ dataDir, emulator: { webhooks: { retryBaseMs: 50, maxAttempts: 3 } } });
  running.emulator.createShop(SHOP, { name: "Auth Check" });
  running.emulator.seed(SHOP, [{ title: "Trail Runner 2", variants: [{ price: "129.00", sku: "TR2-42" }] }]);
});

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("install through token exchange", () => {
  it("installs when the admin opens the app with a session token, storing an expiring offline session", async () => {
    const { status } = await running.emulator.installApp(SHOP);
    expect(status).toBe(200);
    const prisma = createPrismaClient(running.stack.databaseUrl);
    try {
      const session = await prisma.session.findFirst({ where: { shop: SHOP, isOnline: false } });
      expect(session?.accessToken).toMatch(/^shpat_/);
      expect(session?.expires).toBeInstanceOf(Date);
      expect(session?.refreshToken).toMatch(/^shprt_/);
      expect(session?.scope).toBe(
        "read_products,read_customers,read_orders,read_legal_policies,read_online_store_pages",
      );
      const shop = await prisma.shop.findUnique({ where: { domain: SHOP } });
      expect(shop?.uninstalledAt).toBeNull();
      // The shop's primary domain, read from the Admin API at install (the emulator's is its own domain).
      expect(shop?.primaryOrigin).toBe(`https://${SHOP}`);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("lets the app's install import run against the emulator: bulk export, JSONL download, products indexed", async () => {
    const prisma = createPrismaClient(running.stack.databaseUrl);
    try {
      let run = null;
      for (let i = 0; i < 240 && run?.status !== "completed" && run?.status !== "failed"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        run = await prisma.importRun.findFirst({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
      }
      expect(run).toMatchObject({ status: "completed", total: 1, productsDone: 1 });
      const operation = running.emulator.shop(SHOP).bulk.find(Number(run!.bulkOperationId!.split("/").pop()));
      expect(operation).toMatchObject({ status: "COMPLETED", rootObjectCount: 1 });
      expect(operation!.downloads).toBeGreaterThan(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("rejects a session token signed with another secret (no token exchange happens)", async () => {
    const other = "tampered.myshopify.com";
    running.emulator.createShop(other);
    const { signSessionToken } = await import("../../tools/emulator/auth/session-token");
    const forged = await signSessionToken({
      apiKey: running.emulator.app.apiKey,
      apiSecret: "not-the-secret",
      shop: other,
    });
    const params = new URLSearchParams({
      embedded: "1",
      shop: other,
      host: running.emulator.hostParam(other),
      id_token: forged,
    });
    const response = await fetch(`${running.stack.app.url}/app?${params}`, {
      redirect: "manual",
      headers: { "User-Agent": BROWSER_USER_AGENT },
    });
    expect(response.status).not.toBe(200);
    expect(running.emulator.shop(other).installation).toBeNull();
  });
});

describe("the app's Admin API client", () => {
  it("queries the shop through unauthenticated.admin with the session the install stored", async () => {
    const seam = await import("../../tools/emulator/fetch-seam.mjs");
    seam.pointSeamAt(running.emulator.url);
    const { shopifyApp, ApiVersion } = await import("@shopify/shopify-app-remix/server");
    const { PrismaSessionStorage } = await import("@shopify/shopify-app-session-storage-prisma");
    const prisma = createPrismaClient(running.stack.databaseUrl);
    try {
      const app = shopifyApp({
        apiKey: DEMO_APP_CREDENTIALS.apiKey,
        apiSecretKey: DEMO_APP_CREDENTIALS.apiSecret,
        apiVersion: ApiVersion.July26,
        appUrl: running.stack.env.SHOPIFY_APP_URL,
        scopes: ["read_products", "read_customers", "read_orders"],
        sessionStorage: new PrismaSessionStorage(prisma),
        future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
      });
      const { admin } = await app.unauthenticated.admin(SHOP);
      const response = await admin.graphql(`#graphql
        { products(first: 5) { nodes { title variants(first: 1) { nodes { sku price } } } } }`);
      const body = await response.json();
      expect(body.data.products.nodes).toEqual([
        { title: "Trail Runner 2", variants: { nodes: [{ sku: "TR2-42", price: "129.00" }] } },
      ]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("app proxy into the app", () => {
  it("reaches the app's proxy route through the storefront, verified by authenticate.public.appProxy", async () => {
    const storefront = await running.emulator.storefront(SHOP);
    // The chat session endpoint: it answers only for a verified request of an installed shop, and
    // says whether the (signed) logged_in_customer_id named a customer.
    const startSession = (headers: Record<string, string> = {}) =>
      fetch(`${storefront.url}/apps/aisle/session`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ visitorId: "visitor-app-auth-1", origin: storefront.url }),
      });
    const anonymous = await startSession();
    expect(anonymous.status).toBe(200);
    const session = (await anonymous.json()) as { customerLoggedIn: boolean; visitorId: string };
    expect(session.customerLoggedIn).toBe(false);
    // The id the widget sent was not issued by the app: it is replaced by one that is (decision 105).
    expect(session.visitorId).toMatch(/^v1[A-Za-z0-9_-]{44}$/);

    const customer = running.emulator
      .shop(SHOP)
      .store.createCustomer({ firstName: "Grace", lastName: "Hopper", email: "grace@example.test" });
    const login = await fetch(`${storefront.url}/account/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `customer_id=${customer.id}`,
    });
    const cookie = login.headers.getSetCookie()[0].split(";")[0];
    const loggedIn = await startSession({ cookie });
    expect(await loggedIn.json()).toMatchObject({ customerLoggedIn: true });
  });

  it("has a request with a tampered signature refused by the app", async () => {
    const request = signedProxyRequest({
      appUrl: running.stack.app.url,
      path: "/proxy/session",
      secret: DEMO_APP_CREDENTIALS.apiSecret,
      shop: SHOP,
      tamper: (query) => query.set("signature", "0".repeat(64)),
      init: { method: "POST", body: "{}" },
    });
    const response = await fetch(request);
    expect(response.status).toBe(400);
  });

  it("renders the real chat-widget embed block on the storefront with its config", async () => {
    const storefront = await running.emulator.storefront(SHOP);
    const html = await (await fetch(`${storefront.url}/`)).text();
    const config = /<script type="application\/json" id="aisle-chat-config">([\s\S]*?)<\/script>/.exec(html);
    expect(config, "the chat-widget block did not render").not.toBeNull();
    expect(JSON.parse(config![1])).toMatchObject({ proxyPath: "/apps/aisle", shop: SHOP, locale: "en" });
  });
});

describe("webhooks into the app", () => {
  it("delivers products/update on a price change, accepted by the webhook route", async () => {
    const { store } = running.emulator.shop(SHOP);
    const variant = [...store.allVariants()][0];
    const before = running.emulator.webhooks.log.length;
    store.updateVariant(variant.id, { price: "119.00" });
    await running.emulator.webhooks.idle();
    const [delivery] = running.emulator.webhooks.log.slice(before);
    expect(delivery).toMatchObject({ topic: "products/update", shop: SHOP, state: "delivered" });
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(JSON.parse(delivery.body).variants[0].price).toBe("119.00");
  });

  it("has a delivery signed with another secret rejected with 401, then retried and given up", async () => {
    const forged = new WebhookDelivery({
      apiSecret: "not-the-secret",
      apiVersion: "2026-07",
      maxAttempts: 2,
      retryBaseMs: 20,
    });
    const record = forged.send({
      topic: "products/delete",
      shop: SHOP,
      url: `${running.stack.app.url}/webhooks/products/delete`,
      payload: { id: 1 },
    });
    await forged.idle();
    expect(record.attempts.map((attempt) => attempt.status)).toEqual([401, 401]);
    expect(record.state).toBe("failed");
  });

  it("uninstalls: app/uninstalled reaches the app, which deletes the shop's sessions", async () => {
    running.emulator.uninstallApp(SHOP);
    await running.emulator.webhooks.idle();
    const delivery = running.emulator.webhooks.log.at(-1)!;
    expect(delivery).toMatchObject({ topic: "app/uninstalled", state: "delivered" });
    const prisma = createPrismaClient(running.stack.databaseUrl);
    try {
      // The delivery recorded a job; the app's lifecycle worker runs it.
      await vi.waitFor(async () => expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0));
      expect((await prisma.shop.findUnique({ where: { domain: SHOP } }))?.uninstalledAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });
});

// Issue 14 / decision 093: the built app, its real server and session storage, the emulator refusing
// the token refresh after the uninstall, as Shopify does.
describe("uninstall of a shop whose offline token has expired", () => {
  const EXPIRED = "expired-token.myshopify.com";

  it("answers app/uninstalled with 200 on the first attempt and removes the shop's sessions", async () => {
    running.emulator.createShop(EXPIRED, { name: "Expired Token" });
    await running.emulator.installApp(EXPIRED);
    const prisma = createPrismaClient(running.stack.databaseUrl);
    try {
      const expired = await prisma.session.updateMany({
        where: { shop: EXPIRED, isOnline: false, refreshToken: { not: null } },
        data: { expires: new Date(Date.now() - 3_600_000) },
      });
      expect(expired.count).toBe(1);
      const before = running.emulator.webhooks.log.length;
      running.emulator.uninstallApp(EXPIRED);
      await running.emulator.webhooks.idle();
      const deliveries = running.emulator.webhooks.log
        .slice(before)
        .filter((d) => d.shop === EXPIRED && d.topic === "app/uninstalled");
      expect(deliveries.map((d) => d.attempts.map((attempt) => attempt.status))).toEqual([[200]]);
      await vi.waitFor(async () => expect(await prisma.session.count({ where: { shop: EXPIRED } })).toBe(0));
      expect((await prisma.shop.findUnique({ where: { domain: EXPIRED } }))?.uninstalledAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("answers a GET on a webhook route with 405 and Allow: POST", async () => {
    const response = await fetch(`${running.stack.app.url}/webhooks/app/uninstalled`);
    expect([response.status, response.headers.get("allow")]).toEqual([405, "POST"]);
  });
});
