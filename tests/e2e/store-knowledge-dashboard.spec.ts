// The store knowledge page (issue 19, decision 125), opened in the emulated Shopify admin against the
// built app: the demo shop's policies and pages with a working "Refresh now", a merchant Q&A entry
// added by keyboard, quoted in the preview answer, edited, deleted (the preview stops using it), a
// validation error that changes nothing, and axe scans on desktop and phone.
import path from "node:path";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { embeddedApp, expectAccessibleOnDesktopAndPhone } from "./helpers/axe";
import { env } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });
test.describe.configure({ timeout: 120_000 });

const QUESTION = "Do you offer gift wrapping?";
const FIRST_ANSWER = "Yes, gift wrapping is free on every order: tick the box at checkout.";
const EDITED_ANSWER = "Gift wrapping costs $4 per order and you can add it at checkout.";

async function openKnowledge(page: Page): Promise<FrameLocator> {
  await page.setViewportSize({ width: 1400, height: 1100 });
  const response = await page.goto(`${env("AISLE_E2E_ADMIN_URL")}/knowledge`);
  expect(response?.status()).toBe(200);
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.getByRole("heading", { name: "Store knowledge", exact: true })).toBeVisible();
  return app;
}

async function askPreview(app: FrameLocator, question: string) {
  const field = app.getByLabel("A shopper's question", { exact: true });
  await field.fill(question);
  await app.getByRole("button", { name: "Ask", exact: true }).click();
  const answer = app.locator("[data-preview-answer]");
  await expect(answer).toBeVisible();
  return answer;
}

test("sources with passage counts, and Refresh now reads a page Shopify sends no webhook for", async ({
  page,
  request,
}) => {
  const app = await openKnowledge(page);
  await expect(
    page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Store knowledge" }),
  ).toBeVisible();
  const notice = app.locator("[data-knowledge-notice]");
  const refreshNow = async () => {
    // The install's own read may still hold the shop's lease: the page says so, and a later click refreshes.
    await expect(async () => {
      await app.getByRole("button", { name: "Refresh now" }).click();
      await expect(notice).toContainText("Refreshed:", { timeout: 2000 });
    }).toPass({ timeout: 60_000 });
  };
  await refreshNow();
  await expect(app.getByText(/last refresh /)).toBeVisible();
  const table = app.getByRole("table");
  const refund = table.getByRole("row").filter({ hasText: "Refund policy" });
  await expect(refund).toContainText("Policy");
  await expect(refund).toContainText("/policies/refund-policy");
  expect(Number(await refund.getByRole("cell").last().textContent())).toBeGreaterThan(0);

  // A page published in Shopify (no webhook): listed only after Refresh now, gone after it is deleted.
  const pageUrl = `${env("AISLE_E2E_EMULATOR_URL")}/_emulator/shops/${env("AISLE_E2E_SHOP")}/pages/workshop-visits`;
  const row = table.getByRole("row").filter({ hasText: "Workshop visits" });
  await expect(row).toHaveCount(0);
  const saved = await request.put(pageUrl, {
    data: {
      title: "Workshop visits",
      bodyHtml: "<p>Our Portland workshop is open to visitors on Saturdays from 10 to 4.</p>",
      published: true,
    },
  });
  expect(saved.ok()).toBe(true);
  await refreshNow();
  await expect(notice).toContainText("1 added");
  await expect(row).toContainText("/pages/workshop-visits");
  expect(Number(await row.getByRole("cell").last().textContent())).toBeGreaterThan(0);
  await expectAccessibleOnDesktopAndPhone(page, "store knowledge after a refresh", embeddedApp);

  expect((await request.delete(pageUrl)).ok()).toBe(true);
  await refreshNow();
  await expect(notice).toContainText("1 removed");
  await expect(row).toHaveCount(0);
});

test("a Q&A entry: refused when too short, added by keyboard, quoted, edited, deleted", async ({ page }) => {
  const app = await openKnowledge(page);
  const entries = app.locator("[data-question-entry]");
  const before = await entries.count();
  const newForm = app.locator('[data-question-form="new"]');
  const questionField = newForm.getByLabel("Shopper's question", { exact: true });
  const answerField = newForm.getByLabel("Answer", { exact: true });

  // Bad input: the error next to the field, nothing saved.
  await questionField.fill("Wrap");
  await answerField.fill(FIRST_ANSWER);
  await newForm.getByRole("button", { name: "Add question" }).click();
  await expect(
    newForm.getByText("Write the question as a shopper would ask it (at least 5 characters)."),
  ).toBeVisible();
  await expect(questionField).toHaveAttribute("aria-invalid", "true");
  await expect(entries).toHaveCount(before);
  await expectAccessibleOnDesktopAndPhone(page, "store knowledge with a validation error", embeddedApp);

  // By keyboard: the question, Tab to the answer, Tab to the button, Enter.
  await questionField.fill("");
  await questionField.focus();
  await page.keyboard.type(QUESTION);
  await page.keyboard.press("Tab");
  await expect(answerField).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(newForm.getByRole("button", { name: "Add question" })).toBeFocused();
  await page.keyboard.press("Enter");
  const entry = entries.filter({ hasText: QUESTION });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(FIRST_ANSWER);
  await expect(entries).toHaveCount(before + 1);
  // The new-entry form is empty again for the next one.
  await expect(questionField).toHaveValue("");

  // The preview quotes it at once (no refresh needed).
  let answer = await askPreview(app, QUESTION);
  await expect(answer).toContainText(FIRST_ANSWER);
  await page.screenshot({ path: path.join("docs", "screenshots", "dashboard-knowledge.png"), fullPage: true });
  await expectAccessibleOnDesktopAndPhone(page, "store knowledge with a Q&A entry and its preview", embeddedApp);

  // Edit: the new answer replaces the old one in the preview.
  await entry.getByRole("button", { name: `Edit: ${QUESTION}` }).click();
  const editForm = app.locator('[data-question-form]:not([data-question-form="new"])');
  await editForm.getByLabel("Answer", { exact: true }).fill("?");
  await editForm.getByRole("button", { name: "Save changes" }).click();
  // Too short an answer: shown beside the field, the entry keeps its answer.
  await expect(editForm.getByText("Write the answer the assistant should give.")).toBeVisible();
  await editForm.getByLabel("Answer", { exact: true }).fill(EDITED_ANSWER);
  await editForm.getByRole("button", { name: "Save changes" }).click();
  await expect(entry).toContainText(EDITED_ANSWER);
  answer = await askPreview(app, QUESTION);
  await expect(answer).toContainText(EDITED_ANSWER);
  await expect(answer).not.toContainText(FIRST_ANSWER);

  // Delete: gone from the list and from the answer.
  await entry.getByRole("button", { name: `Delete: ${QUESTION}` }).click();
  await expect(app.locator("[data-knowledge-notice]")).toContainText("Question deleted.");
  await expect(entries).toHaveCount(before);
  answer = await askPreview(app, QUESTION);
  await expect(answer).not.toContainText("Gift wrapping costs $4");
});
