// The store emulator in a real browser: the dashboard framed by the emulated admin (App Bridge stand-in,
// session tokens, the app's real authenticate.admin), and the storefront with the chat widget's embed
// block, a customer login, the Ajax cart and the signed App Proxy.
import { expect, test } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";

// Headless Chromium announces itself as "HeadlessChrome", which the library answers with 410 (bot);
// the merchant's browser does not.
test.use({ userAgent: BROWSER_USER_AGENT });

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

test("the dashboard runs inside the emulated admin, and its data requests carry a session token", async ({ page }) => {
  // No CDN routing here: the emulated admin serves App Bridge's stand-in itself, as `npm run demo` needs.
  await page.goto(env("AISLE_E2E_ADMIN_URL"));
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(app.getByText(env("AISLE_E2E_SHOP"))).toBeVisible();
  // The app's <NavMenu> reaches the admin's navigation through the stand-in.
  await expect(
    page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Overview" }),
  ).toBeVisible();

  // A Remix data request from inside the frame (single fetch): App Bridge adds the session token.
  const frame = page.frame({ name: "app-iframe" })!;
  const data = await frame.evaluate(async () => {
    const response = await fetch("/app.data?_routes=routes%2Fapp._index");
    return { status: response.status, body: await response.text() };
  });
  expect(data.status).toBe(200);
  expect(data.body).toContain(env("AISLE_E2E_SHOP"));
  // Without the token the app refuses the same data request.
  const bare = await page.request.get(
    `${env("AISLE_E2E_APP_URL")}/app.data?_routes=routes%2Fapp._index&shop=${env("AISLE_E2E_SHOP")}`,
    {
      maxRedirects: 0,
    },
  );
  expect(bare.status()).not.toBe(200);
});

test("the storefront renders the chat embed, logs a customer in, fills the cart and proxies to the app", async ({
  page,
}) => {
  const storefront = env("AISLE_E2E_STOREFRONT_URL");
  await page.goto(storefront);
  await expect(page.locator(".card").first()).toBeVisible();
  await expect(page.locator("#aisle-chat-root")).toBeAttached();
  const config = JSON.parse((await page.locator("#aisle-chat-config").textContent())!);
  expect(config).toMatchObject({ proxyPath: "/apps/aisle", shop: env("AISLE_E2E_SHOP"), customerLoggedIn: false });

  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByRole("button", { name: /Log in as Maya Okafor/ }).click();
  await expect(page.getByText("Hi, Maya")).toBeVisible();
  // The app's chat session endpoint, reached through the signed App Proxy, sees the logged-in customer.
  const proxied = await page.evaluate(async () => {
    const response = await fetch("/apps/aisle/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ visitorId: "visitor-e2e-proxy", origin: location.origin }),
    });
    return { status: response.status, body: await response.json() };
  });
  expect(proxied).toMatchObject({ status: 200, body: { customerLoggedIn: true } });

  const added = await page.evaluate(async () => {
    const cart = await (await fetch("/cart.js")).json();
    const products = await fetch("/").then((r) => r.text());
    const handle = /href="\/products\/([^"]+)"/.exec(products)![1];
    const page = await fetch(`/products/${handle}`).then((r) => r.text());
    const variant = /<option value="(\d+)">/.exec(page)![1];
    const response = await fetch("/cart/add.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: Number(variant), quantity: 1 }),
    });
    return {
      before: cart.item_count,
      status: response.status,
      after: (await (await fetch("/cart.js")).json()).item_count,
    };
  });
  expect(added).toEqual({ before: 0, status: 200, after: 1 });
});
