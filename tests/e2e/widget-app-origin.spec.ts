// The widget's primary transport (docs/decisions/070): a chat token minted through the signed App
// Proxy, then answers streamed from the built app's own origin with CORS for this storefront only.
// Its own emulated stack, because the storefront's origin must be one the app allows
// (CHAT_STOREFRONT_ORIGINS) — the shared e2e stack leaves it unset, so its widget uses the proxy.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { seedDemoStore } from "../../tools/emulator/catalog/demo-store";
import { startEmulatedStack, type EmulatedStack } from "../../tools/emulator/emulated-stack";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { freePort } from "../../tools/lib/ports";

test.use({ userAgent: BROWSER_USER_AGENT });

const SHOP = "widget-origin.myshopify.com";
let running: EmulatedStack;
let dataDir: string;
let storefrontUrl: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-widget-origin-"));
  const storefrontPort = await freePort();
  storefrontUrl = `http://127.0.0.1:${storefrontPort}`;
  running = await startEmulatedStack({ dataDir, env: { CHAT_STOREFRONT_ORIGINS: storefrontUrl } });
  running.emulator.createShop(SHOP, { name: "Origin Outfitters" });
  seedDemoStore(running.emulator, SHOP, { limit: 12 });
  await running.emulator.installApp(SHOP);
  await running.emulator.storefront(SHOP, { port: storefrontPort });
});

test.afterAll(async () => {
  await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("answers stream from the app's origin with CORS for this storefront, after a token from the proxy", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(storefrontUrl);
  const title = ((await page.locator(".card-title").first().textContent()) ?? "").trim();
  const appOrigin = new URL(running.stack.app.url).origin;

  // The catalog is indexed after install; ask until the answer shows the product.
  const input = page.getByRole("textbox", { name: "Your question" });
  await page.getByRole("button", { name: "Ask us anything" }).click();
  const streams: { status: number; allowOrigin: string | undefined; type: string | undefined }[] = [];
  page.on("response", (response) => {
    if (response.url().startsWith(`${appOrigin}/proxy/stream`) && response.request().method() === "POST") {
      streams.push({
        status: response.status(),
        allowOrigin: response.headers()["access-control-allow-origin"],
        type: response.headers()["content-type"],
      });
    }
  });
  await expect
    .poll(
      async () => {
        const answered = await page.locator(".aisle-message--assistant").count();
        await input.fill(title);
        await input.press("Enter");
        // An answer, and after two without products while the catalog is still being indexed, the
        // offer of a person too (decision 124): at least one more assistant message.
        await expect
          .poll(() => page.locator(".aisle-message--assistant").count(), { timeout: 30_000 })
          .toBeGreaterThan(answered);
        await expect(page.locator(".aisle-send")).toBeEnabled({ timeout: 30_000 });
        return page.locator(".aisle-card").filter({ hasText: title }).count();
      },
      { timeout: 90_000, intervals: [2000] },
    )
    .toBeGreaterThan(0);

  expect(streams.length).toBeGreaterThan(0);
  expect(streams.at(-1)).toEqual({
    status: 200,
    allowOrigin: storefrontUrl,
    type: expect.stringContaining("text/event-stream"),
  });

  // The same token is refused from any other origin, and the preflight does not echo it.
  const refused = await page.request.fetch(`${appOrigin}/proxy/stream?shop=${SHOP}`, {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  expect(refused.status()).toBe(403);
  expect(refused.headers()["access-control-allow-origin"]).toBeUndefined();
});
