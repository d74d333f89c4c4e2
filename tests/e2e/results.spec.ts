// Issue 18's first "done when": on the demo stack (global-setup.ts), a shopper chats, adds to cart from a
// card and checks out on the emulated storefront; the emulator fires orders/create (signed, with the cart's
// attributes as note_attributes); the app attributes it; the Results page in the emulated admin shows one
// assisted order with its revenue and the conversation it came from. Writes docs/screenshots/dashboard-results.png.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { embeddedApp, expectAccessible, expectAccessibleOnDesktopAndPhone } from "./helpers/axe";
import { ask, env, launcher, searchableProductTitle } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });
test.describe.configure({ mode: "serial", timeout: 150_000 });

let productTitle = "";

test.beforeAll(async ({ browser }) => {
  productTitle = await searchableProductTitle(browser);
});

/** The widget's saved state for this storefront (its conversation id). */
async function widgetConversationId(page: Page): Promise<string> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("aisle-chat:v1:"));
    return (JSON.parse(localStorage.getItem(key ?? "") ?? "{}") as { conversationId?: string }).conversationId ?? "";
  });
}

test("a chat, an add to cart from a card and a checkout show up as one assisted order on Results", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const storefront = env("AISLE_E2E_STOREFRONT_URL");
  await page.goto(storefront);
  await launcher(page).click();
  await ask(page, `Do you have the ${productTitle}?`);
  const card = page.locator(".aisle-card").filter({ hasText: productTitle }).first();
  await card.getByRole("button", { name: `Add to cart — ${productTitle}` }).click();
  await expect(card.locator(".aisle-card__status")).toHaveText(`Added ${productTitle} to your cart.`);
  const conversationId = await widgetConversationId(page);
  expect(conversationId).not.toBe("");
  // The cart carries the conversation and the group, and nothing else of the widget's.
  await expect
    .poll(async () => (await page.evaluate(async () => (await fetch("/cart.js")).json())).attributes)
    .toEqual({ _aisle_conversation: conversationId, _aisle_group: "assistant" });
  const cart = await page.evaluate(async () => (await fetch("/cart.js")).json());
  const revenue = (cart.total_price / 100).toFixed(2);

  await page.goto(`${storefront}/cart`);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page.getByRole("heading", { name: "Thank you for your order" })).toBeVisible();
  const orderName = ((await page.locator("[data-order-number]").textContent()) ?? "").replace("Order ", "").trim();
  expect(orderName).toMatch(/^#\d+$/);

  // The merchant's Results page, inside the emulated admin. The order job runs right after the webhook.
  await page.setViewportSize({ width: 1400, height: 1100 });
  await expect
    .poll(
      async () => {
        await page.goto(`${env("AISLE_E2E_ADMIN_URL")}/results`);
        const app = page.frameLocator('iframe[name="app-iframe"]');
        await expect(app.getByRole("heading", { name: "Results", exact: true })).toBeVisible();
        return (
          await app
            .locator('[data-stat="Assisted orders"]')
            .textContent({ timeout: 5000 })
            .catch(() => "")
        )?.trim();
      },
      { timeout: 60_000, intervals: [1000, 2000] },
    )
    .toBe("1");
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.locator('[data-stat="Assisted revenue"]')).toContainText(revenue);
  const latest = app.locator("table").filter({ hasText: "Open conversation" });
  const row = latest.locator("tbody tr").filter({ hasText: orderName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(revenue);
  await expect(row.getByRole("link", { name: `Open conversation of order ${orderName}` })).toHaveAttribute(
    "href",
    new RegExp(`conversation=${conversationId}`),
  );
  // Funnel and top products from the same run.
  const funnel = app.locator("table").filter({ hasText: "Per conversation" });
  await expect(funnel.locator("tbody tr").filter({ hasText: "Assisted orders" })).toContainText("1");
  await expect(app.locator("table").filter({ hasText: "Units" }).locator("tbody tr").first()).toContainText(
    productTitle,
  );
  await expect(app.locator('[data-chart="Assisted orders per day"] svg').first()).toBeVisible();
  await expect(app.locator("[data-unanswered]")).toContainText(/^\d+(\.\d+)? % of the latest \d+ conversations/);

  // The CSV export has today's row with the order and its revenue.
  const download = page.waitForEvent("download");
  await app.getByRole("button", { name: "Export CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8")
    .trim()
    .split("\r\n");
  const today = new Date().toISOString().slice(0, 10);
  expect(csv.find((line) => line.startsWith(today))).toMatch(new RegExp(`^${today},\\w{3},1,${revenue},`));

  // The period picker: a shorter period still holds today's order.
  await app.getByLabel("Period").selectOption("7");
  await expect(app.getByText(/to .* \(UTC\)/)).toBeVisible();
  await expect(app.locator('[data-stat="Assisted orders"]')).toHaveText("1");
  // Polaris Viz animates its bars in: let them settle before the picture (not an assertion).
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join("docs", "screenshots", "dashboard-results.png") });
  await expectAccessibleOnDesktopAndPhone(page, "results with an assisted order", embeddedApp);

  // Opening the conversation shows the shopper's question.
  await row.getByRole("link", { name: `Open conversation of order ${orderName}` }).click();
  await expect(app.getByText(`Do you have the ${productTitle}?`).first()).toBeVisible();
});

test("an unknown period is refused with the periods there are", async ({ page }) => {
  const response = await page.goto(`${env("AISLE_E2E_ADMIN_URL")}/results?days=365`);
  expect(response?.status()).toBe(200); // the admin frame itself
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.getByText(/choose 7, 30, 90 days/)).toBeVisible();
  await expectAccessible(page, "results, unknown period refused", embeddedApp);
});
