// The app's real auth code against the emulator, through the fetch seam only: managed install with
// token exchange (authenticate.admin), the offline session used by unauthenticated.admin inside the app,
// webhooks verified by authenticate.webhook, and app proxy requests verified by authenticate.public.appProxy.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulatedStack, type EmulatedStack } from "../../tools/emulator/emulated-stack";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";

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
      expect(session?.scope).toBe("read_products,read_customers,read_orders");
      const shop = await prisma.shop.findUnique({ where: { domain: SHOP } });
      expect(shop?.uninstalledAt).toBeNull();
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
