// Store knowledge end to end (decision 125): the built app reads the demo shop's policies from the
// emulator after install; on the storefront a shopper asks about returns and gets the refund policy
// quoted word for word, with a keyboard-reachable link to the storefront's /policies page.
import { expect, test } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { chatWidget, expectAccessible } from "./helpers/axe";
import { answers, ask, env, launcher, panel } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });

test("a policy question gets the policy quoted with its link, and the link opens the policy", async ({ page }) => {
  await page.goto(env("AISLE_E2E_STOREFRONT_URL"));
  await launcher(page).click();
  await expect(panel(page)).toBeVisible();
  // One link per policy, however many of its passages the answer quotes.
  const source = page.locator(".aisle-sources").last().getByRole("link", { name: "Refund policy" });
  // The app reads the shop's policies within seconds of the install (its refresh loop): ask until it has.
  await expect(async () => {
    await ask(page, "What's your return policy?");
    await expect(source).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(source).toHaveAttribute("href", "/policies/refund-policy");
  const text = (await answers(page).last().textContent()) ?? "";
  expect(text).toContain("Our Refund policy (/policies/refund-policy) says:");
  expect(text).toMatch(/"[^"]*60 days[^"]*"/);
  // A store question: no product cards in this answer.
  await expect(page.locator(".aisle-message--assistant").last().locator(".aisle-card")).toHaveCount(0);
  await expectAccessible(page, "widget with a quoted policy and its source link", chatWidget);

  // By keyboard: the link takes focus and opens the storefront's policy page.
  await source.focus();
  await expect(source).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/policies\/refund-policy$/);
  await expect(page.getByRole("heading", { level: 1, name: "Refund policy" })).toBeVisible();
});

test("a question the store's knowledge does not cover is answered honestly, on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(env("AISLE_E2E_STOREFRONT_URL"));
  await launcher(page).click();
  await ask(page, "Do you offer a student discount?");
  await expect(answers(page).last()).toContainText("I couldn't find anything about that");
  await expect(page.locator(".aisle-message--assistant").last().locator(".aisle-sources")).toHaveCount(0);
  await expectAccessible(page, "widget with an honest 'not covered' answer, phone", chatWidget);
});
