// Issue 19's handoff and AI-label "done when", on the demo stack (global-setup.ts): the widget says it is an
// AI (header and first message, desktop and phone, English and French); a shopper who asks for a person gets
// the contact form (axe-clean on desktop and phone), the request lands in the dashboard's handoff queue with
// its packet, and the store emulator records the Shopify Flow trigger the app fired.
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { chatWidget, embeddedApp, expectAccessibleOnDesktopAndPhone, PHONE } from "./helpers/axe";
import { ask, env, idle, input, launcher, searchableProductTitle } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });
test.describe.configure({ mode: "serial", timeout: 150_000 });

const SCREENSHOTS = path.resolve("docs/screenshots");
let productTitle = "";

test.beforeAll(async ({ browser }) => {
  productTitle = await searchableProductTitle(browser);
});

async function expectAiLabel(page: Page, label: string, intro: RegExp) {
  const header = page.locator(".aisle-header");
  await expect(header.getByText(label, { exact: true })).toBeVisible();
  await expect(page.locator(".aisle-message--assistant").first().locator(".aisle-ai-intro")).toHaveText(intro);
  await expect(page.locator(".aisle-message--assistant").first().locator(".aisle-ai-intro")).toBeVisible();
}

test("the AI label shows in the header and the first message, on desktop and phone, in English and French", async ({
  page,
}) => {
  const storefront = env("AISLE_E2E_STOREFRONT_URL");
  for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
    await page.setViewportSize(viewport);
    await page.goto(storefront);
    await launcher(page).click();
    const panel = page.getByRole("dialog", { name: "Shopping assistant" });
    await expect(panel).toBeVisible();
    // The dialog's description is the label: a screen reader hears it on opening.
    await expect(panel).toHaveAccessibleDescription("AI assistant, not a person");
    await expectAiLabel(page, "AI assistant, not a person", /^I'm an AI assistant, not a person/);
    await page.keyboard.press("Escape");

    await page.goto(`${storefront}?locale=fr`);
    const panelFr = page.getByRole("dialog", { name: "Assistant shopping" });
    if (!(await panelFr.isVisible())) await page.getByRole("button", { name: "Une question ?" }).click();
    await expect(panelFr).toBeVisible();
    await expectAiLabel(page, "Assistant IA, pas une personne", /^Je suis un assistant IA, pas une personne/);
    await page.keyboard.press("Escape");
  }
});

test("asking for a person: contact form, the dashboard's handoff queue with the packet, and the Flow trigger", async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(env("AISLE_E2E_STOREFRONT_URL"));
  await launcher(page).click();
  await ask(page, `Do you have the ${productTitle}?`);
  await expect(page.locator(".aisle-card").filter({ hasText: productTitle }).first()).toBeVisible();

  // Asking for a person: the offer says it is an AI and shows the store's contact route.
  await input(page).fill("Can I talk to a real person?");
  await input(page).press("Enter");
  await idle(page);
  const form = page.getByRole("form", { name: "Contact the store" });
  await expect(form).toBeVisible();
  await expect(page.locator(".aisle-message--assistant").last()).toContainText("I'm an AI assistant");
  await expect(form.getByRole("link", { name: "Or use the store's contact page" })).toHaveAttribute(
    "href",
    "/pages/contact",
  );
  const email = form.getByRole("textbox", { name: "Your email" });
  await expect(email).toBeFocused();
  await expectAccessibleOnDesktopAndPhone(page, "widget with the handoff form", chatWidget);

  // Bad input: a clear error on the field, nothing sent.
  await email.fill("not an email");
  await form.getByRole("button", { name: "Send to the store" }).click();
  await expect(form.getByRole("alert")).toHaveText("Enter a valid email address.");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toBeFocused();
  await expectAccessibleOnDesktopAndPhone(page, "widget with the handoff form showing an error", chatWidget);

  // By keyboard: the email, the message, the consent box, send.
  await email.fill("shopper@example.com");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Does it run small? I am between sizes.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await expect(form.getByRole("checkbox")).toBeChecked();
  await page.keyboard.press("Tab");
  const sent = page.waitForResponse((response) => response.url().includes("/apps/aisle/handoff"));
  await page.keyboard.press("Enter");
  expect((await sent).status()).toBe(201);
  await expect(page.getByRole("status").filter({ hasText: "Thanks! The store has your message" })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "widget-handoff-desktop.png") });

  // The emulator recorded the Flow trigger the app's job fired, with the packet's fields.
  const flowTriggers = `${env("AISLE_E2E_EMULATOR_URL")}/_emulator/shops/${env("AISLE_E2E_SHOP")}/flow-triggers`;
  await expect
    .poll(async () => ((await (await request.get(flowTriggers)).json()) as unknown[]).length, { timeout: 30_000 })
    .toBe(1);
  const [call] = (await (await request.get(flowTriggers)).json()) as {
    handle: string;
    payload: Record<string, string>;
  }[];
  expect(call.handle).toBe("aisle-shopper-asked-for-person");
  expect(call.payload["Shopper email"]).toBe("shopper@example.com");
  expect(call.payload["Shopper message"]).toBe("Does it run small? I am between sizes.");
  expect(call.payload["Reason"]).toBe("The shopper asked for a person.");
  expect(call.payload["Transcript"]).toContain(`Shopper: Do you have the ${productTitle}?`);
  expect(call.payload["Transcript"]).toContain("Shopper: Can I talk to a real person?");

  // The merchant's handoff queue, in the emulated admin: the request with its packet, then resolved.
  await page.setViewportSize({ width: 1400, height: 1100 });
  await page.goto(`${env("AISLE_E2E_ADMIN_URL")}/handoffs`);
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.getByRole("heading", { name: "Handoff queue", exact: true })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Handoff queue" }),
  ).toBeVisible();
  const card = app.locator("[data-handoff-request]").filter({ hasText: "shopper@example.com" });
  await expect(card).toHaveCount(1);
  await expect(card.locator("[data-handoff-message]")).toHaveText("Does it run small? I am between sizes.");
  await expect(card).toContainText("The shopper asked for a person.");
  await expect(card).toContainText(`Do you have the ${productTitle}?`);
  await expect(card.getByText(productTitle, { exact: true }).first()).toBeVisible(); // what was retrieved
  await expect(card).toContainText("Flow: sent");
  await expect(card).toContainText("Open");
  await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard-handoffs.png") });
  await expectAccessibleOnDesktopAndPhone(page, "handoff queue with an open request", embeddedApp);
  await card.getByRole("button", { name: "Mark resolved: request from shopper@example.com" }).click();
  await expect(card.getByRole("button", { name: "Reopen: request from shopper@example.com" })).toBeVisible();
  await expect(card).toContainText("Resolved");
});
