// What the storefront specs share: the stack's addresses (global-setup.ts), the widget's controls as a
// shopper finds them (by role and name), and a wait for a catalog the chat can already answer from.
import { expect, type Browser, type Page } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

// Named by its visible label (the block's default, "Ask us anything"); open or closed is aria-expanded.
export const launcher = (page: Page) => page.getByRole("button", { name: "Ask us anything" });
export const panel = (page: Page) => page.getByRole("dialog", { name: "Shopping assistant" });
export const input = (page: Page) => page.getByRole("textbox", { name: "Your question" });
export const answers = (page: Page) => page.locator(".aisle-message--assistant .aisle-message__text");
export const idle = (page: Page) => expect(page.locator(".aisle-send")).toBeEnabled({ timeout: 30_000 });

export async function ask(page: Page, question: string) {
  const answered = await answers(page).count();
  await input(page).fill(question);
  await input(page).press("Enter");
  await expect(answers(page)).toHaveCount(answered + 1, { timeout: 30_000 });
  await idle(page);
}

/**
 * The title of the storefront's first product, once the chat answers with it: the shop's catalog is
 * imported and indexed after install. Each probe is its own visitor, so no visitor limit is spent.
 */
export async function searchableProductTitle(browser: Browser): Promise<string> {
  const page = await browser.newPage({ userAgent: BROWSER_USER_AGENT });
  await page.goto(env("AISLE_E2E_STOREFRONT_URL"));
  const title = ((await page.locator(".card-title").first().textContent()) ?? "").trim();
  expect(title).not.toBe("");
  await expect
    .poll(
      async () =>
        page.evaluate(async (title) => {
          const response = await fetch("/apps/aisle/chat", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              message: title,
              visitorId: `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`,
            }),
          });
          return (await response.text()).includes(`"title":${JSON.stringify(title)}`);
        }, title),
      { timeout: 90_000, intervals: [1000, 2000] },
    )
    .toBe(true);
  await page.close();
  return title;
}
