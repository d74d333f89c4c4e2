// The merchant dashboard, opened the way a merchant opens it: through the store emulator's embedded
// admin frame (real session tokens from the App Bridge stand-in, real `authenticate.admin`), against
// the whole stack (Chroma, SQLite, the built app) with an installed, imported demo shop. Every page
// is asserted on data that the real modules produced, and a screenshot of each is written to
// docs/screenshots/dashboard-*.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { seedDemoStore } from "../../tools/emulator/catalog/demo-store";
import { startEmulatedStack, type EmulatedStack } from "../../tools/emulator/emulated-stack";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { signedWebhookRequest } from "../kit/signed-requests";
import { embeddedApp, expectAccessible, expectAccessibleOnDesktopAndPhone } from "./helpers/axe";

const SHOP = "dashboard-outfitters.myshopify.com";
const PRODUCTS = 120;
const SCREENSHOTS = path.join("docs", "screenshots");

test.describe.configure({ mode: "serial", timeout: 180_000 });
// A merchant's browser: the library answers bot user agents (headless Chromium's included) with 410.
test.use({ userAgent: BROWSER_USER_AGENT });

let running: EmulatedStack;
let dataDir: string;
let db: PrismaClient;

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const numericId = (gid: string) => gid.split("/").pop()!;

test.beforeAll(async () => {
  // A whole stack of its own, an install and a 120-product import: more than a test's minute on 2 shared cores.
  test.setTimeout(300_000);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-dashboard-e2e-"));
  running = await startEmulatedStack({ dataDir, echo: Boolean(process.env.DASHBOARD_E2E_DEBUG) });
  const { emulator, stack } = running;
  emulator.createShop(SHOP, { name: "Dashboard Outfitters" });
  seedDemoStore(emulator, SHOP, { limit: PRODUCTS });
  await emulator.installApp(SHOP);
  db = createPrismaClient(stack.databaseUrl);
  // Installing starts the first import; the dashboard tests start with an imported, indexed shop.
  await waitFor(
    "the install import",
    () => db.importRun.findFirst({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } }),
    (run) => run?.status === "completed",
  );
  await waitFor(
    "an idle sync worker",
    () => db.productSync.count({ where: { shop: SHOP, pending: true } }),
    (n) => n === 0,
  );

  // Shopper conversations, written through the customer service exactly as the chat endpoint does.
  const customers = createCustomerService(new PrismaCustomerStore(db), { retentionDays: 90 });
  const synced = await db.productSync.findMany({ where: { shop: SHOP }, orderBy: { productId: "asc" }, take: 2 });
  const [first, second] = synced.map((row) => numericId(row.productId));
  const turns: [string, string, string[]][][] = [
    [
      ["user", "Do you sell gift cards?", []],
      ["assistant", "I could not find gift cards in this store.", []],
    ],
    [
      ["user", "do you sell gift cards", []],
      ["assistant", "Sorry, there are no gift cards in the catalog.", []],
      ["user", "Something warm for winter hikes?", []],
      ["assistant", "These two are warm and light.", [first, second]],
    ],
    [
      ["user", "Something warm for winter hikes?", []],
      ["assistant", "Here is a good pick.", [first]],
    ],
  ];
  for (const [index, conversationTurns] of turns.entries()) {
    const conversation = await customers.openConversation({
      shop: SHOP,
      visitorId: `visitor-${index}`,
      customerId: null,
    });
    for (const [role, text, productIds] of conversationTurns) {
      await customers.appendMessage({
        shop: SHOP,
        conversationId: conversation.id,
        role: role as "user" | "assistant",
        text,
        productIds,
      });
    }
    if (index === 1) await customers.recordAddToCart({ shop: SHOP, conversationId: conversation.id, productId: first });
  }

  // A customers/data_request, signed like Shopify's, through the app's real webhook route.
  const body = JSON.stringify({
    shop_id: 1,
    shop_domain: SHOP,
    orders_requested: [],
    customer: { id: 7_004_001, email: "maya.okafor@example.com", phone: null },
    data_request: { id: 9_001 },
  });
  const response = await fetch(
    signedWebhookRequest({
      appUrl: stack.app.url,
      secret: DEMO_APP_CREDENTIALS.apiSecret,
      shop: SHOP,
      topic: "customers/data_request",
      body,
      webhookId: "dashboard-e2e-data-request",
    }),
  );
  expect(response.status).toBe(200);

  // Two product edits in Shopify: webhooks → sync → searchable, which records webhook → searchable lag.
  const store = emulator.shop(SHOP).store;
  for (const product of [...store.products.values()].slice(0, 2)) {
    store.updateProduct(product.id, { title: `${product.title} (2026 edition)` });
  }
  await waitFor(
    "two lag samples",
    () => db.syncLagSample.count({ where: { shop: SHOP } }),
    (n) => n >= 2,
  );
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await db?.$disconnect();
  await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens an app page inside the emulated Shopify admin and returns the app's frame. */
async function openInAdmin(page: Page, appPath = "", shop = SHOP): Promise<FrameLocator> {
  await page.setViewportSize({ width: 1400, height: 1100 });
  if (process.env.DASHBOARD_E2E_DEBUG) {
    page.on("console", (message) => console.log("console:", message.type(), message.text()));
    page.on("response", (response) =>
      console.log(
        "response:",
        response.status(),
        response.url().slice(0, 120),
        response.headers()["content-security-policy"] ?? "",
      ),
    );
  }
  const response = await page.goto(`${running.emulator.adminUrl(shop)}${appPath}`);
  expect(response?.status()).toBe(200);
  return page.frameLocator('iframe[name="app-iframe"]');
}

async function screenshot(page: Page, name: string) {
  await page
    .frameLocator('iframe[name="app-iframe"]')
    .locator("body")
    .evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`) });
}

test("the app refuses dashboard data without a valid session token", async ({ request }) => {
  // A merchant's browser (the library answers bots with 410 before looking at tokens).
  const browser = { "User-Agent": BROWSER_USER_AGENT };
  for (const route of ["/app", "/app/products", "/app/conversations", "/app/settings"]) {
    const response = await request.get(`${running.stack.app.url}${route}?shop=${SHOP}`, {
      maxRedirects: 0,
      headers: browser,
    });
    const text = await response.text();
    expect(response.status(), route).not.toBe(200);
    expect(text).not.toContain("Dashboard Outfitters");
  }
  const data = await request.get(`${running.stack.app.url}/app/products.data?q=a`, {
    headers: { ...browser, Authorization: "Bearer not-a-token" },
  });
  expect(data.status()).toBe(401);
});

test("overview: sync health of the imported shop, lag chart and services", async ({ page }) => {
  const app = await openInAdmin(page);
  await expect(app.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(app.locator('[data-stat="Products in Shopify"]')).toHaveText(String(PRODUCTS));
  // Drafts and unpublished products of the demo catalog are not searchable, so not indexed.
  const searchable = await db.productSync.count({ where: { shop: SHOP, indexedContentHash: { not: null } } });
  expect(searchable).toBeGreaterThan(PRODUCTS * 0.8);
  await expect(app.locator('[data-stat="Indexed"]')).toHaveText(String(searchable));
  await expect(app.locator('[data-stat="Pending"]')).toHaveText("0");
  await expect(app.locator('[data-stat="Failed"]')).toHaveText("0");
  await expect(app.getByText("Last import", { exact: true })).toBeVisible();
  await expect(app.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(app.getByText("local · ")).not.toHaveCount(0);
  // The lag chart draws (client-side) from the recorded samples.
  await expect(app.locator('[data-chart^="Webhook"] svg').first()).toBeVisible();
  // The admin draws the app's navigation from <ui-nav-menu>.
  await expect(page.getByRole("navigation", { name: "App navigation" }).getByRole("link")).toHaveCount(9);
  await screenshot(page, "overview");
  await expectAccessibleOnDesktopAndPhone(page, "overview", embeddedApp);
});

test("sync controls: an import started from the dashboard shows its progress moving to completion", async ({
  page,
}) => {
  const app = await openInAdmin(page, "/sync");
  await expect(app.getByRole("heading", { name: "Sync controls" })).toBeVisible();
  const before = await db.importRun.count({ where: { shop: SHOP } });
  // Every state the progress bar renders, recorded in the page as it happens (not sampled by the test).
  await app.locator("body").evaluate((body) => {
    const states: { status: string | null; value: string | null }[] = [];
    (window as unknown as { progressStates: typeof states }).progressStates = states;
    const record = () => {
      const bar = body.querySelector('[aria-label="Import progress"]');
      if (!bar) return;
      const state = { status: bar.getAttribute("data-import-status"), value: bar.getAttribute("aria-valuenow") };
      const last = states.at(-1);
      if (last?.status !== state.status || last?.value !== state.value) states.push(state);
    };
    new MutationObserver(record).observe(body, { subtree: true, childList: true, attributes: true });
    record();
  });
  // Shopify's export takes a moment; the emulator holds it so the running import is on screen for a while.
  running.emulator.bulkStartDelayMs = 2000;
  await app.getByRole("button", { name: "Start full import" }).click();
  await expect(app.getByText("Shopify exports the whole catalog")).toBeVisible();
  await expectAccessible(page, "sync, import confirmation open", embeddedApp);
  await app.getByRole("dialog").getByRole("button", { name: "Start full import" }).click();
  await expect(app.getByText("Import started")).toBeVisible();
  const latest = () => db.importRun.findFirst({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
  await waitFor("the dashboard's import", latest, (run) => run?.status === "completed");
  running.emulator.bulkStartDelayMs = 0;
  const bar = app.getByRole("progressbar", { name: "Import progress" });
  await expect(bar).toHaveAttribute("data-import-status", "completed");
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  expect(await db.importRun.count({ where: { shop: SHOP } })).toBe(before + 1);
  const states = await app
    .locator("body")
    .evaluate(() => (window as unknown as { progressStates: { status: string; value: string }[] }).progressStates);
  // The previous import (complete), then the new one running, then moving to 100 % without going back.
  const newRun = states.slice(1);
  expect(newRun[0]?.status, JSON.stringify(states)).not.toBe("completed");
  expect(newRun.at(-1), JSON.stringify(states)).toEqual({ status: "completed", value: "100" });
  const values = newRun.map((state) => Number(state.value));
  expect(values, JSON.stringify(states)).toEqual([...values].sort((a, b) => a - b));
  await expect(app.getByText(`${PRODUCTS} of ${PRODUCTS} products`)).toBeVisible();

  // Reconcile and rebuild: confirmed, then their live status until done, on the same page.
  await app.getByRole("button", { name: "Reconcile now" }).click();
  await app.getByRole("dialog").getByRole("button", { name: "Reconcile now" }).click();
  await expect(app.locator('[data-task-status="completed"]')).toContainText(
    "Shopify and the index agree: no differences",
    { timeout: 60_000 },
  );
  const generation = (await db.searchIndex.findUnique({ where: { shop: SHOP } }))!.generation;
  await app.getByRole("button", { name: "Rebuild index" }).click();
  await expect(app.getByText("search answers from the current one until the switch")).toBeVisible();
  await app.getByRole("dialog").getByRole("button", { name: "Rebuild index" }).click();
  await expect(app.getByText(/products? re-embedded into .*; search switched over/)).toBeVisible({ timeout: 90_000 });
  const rebuilt = await db.searchIndex.findUnique({ where: { shop: SHOP } });
  expect(rebuilt!.generation).toBe(generation + 1);
  await expect(app.getByText(`generation ${generation + 1}`)).toBeVisible();
  await screenshot(page, "sync");
  await expectAccessibleOnDesktopAndPhone(page, "sync, after import, reconcile and rebuild", embeddedApp);
});

test("products: searchable, paginated, with index state and the exact embedded text", async ({ page }) => {
  const app = await openInAdmin(page, "/products");
  await expect(app.getByRole("heading", { name: "Products" })).toBeVisible();
  await expect(app.getByText(`${PRODUCTS} matching`)).toBeVisible();
  await expect(app.getByText("Page 1 of 5")).toBeVisible();
  await expect(app.locator("tbody tr")).toHaveCount(25);
  await expectAccessibleOnDesktopAndPhone(page, "products, first page", embeddedApp);
  const row = await db.productSync.findFirst({ where: { shop: SHOP }, orderBy: { productId: "desc" } });
  const product = JSON.parse(row!.snapshot!) as { title: string; handle: string };
  await app.getByLabel("Search products").fill(product.handle);
  await app.getByRole("button", { name: "Search" }).click();
  await expect(app.getByText("1 matching")).toBeVisible();
  await app.getByRole("link", { name: product.title }).click();
  await expect(app.getByText("Embedded text (exactly what the index holds)")).toBeVisible();
  const text = await app.locator("[data-embedded-text]").innerText();
  expect(text.split("\n")[0]).toBe(product.title);
  // The text shown is the one the index holds: the searchable catalog's row, whose vector is in Chroma.
  const indexed = await db.searchProduct.findUnique({
    where: { shop_productId: { shop: SHOP, productId: row!.productId } },
  });
  expect(text).toBe(indexed!.text);
  const state = await db.searchIndex.findUnique({ where: { shop: SHOP } });
  const chroma = createChromaClient({ CHROMA_URL: running.stack.chroma.url });
  const collection = await chroma.getCollection({ name: state!.activeCollection });
  expect((await collection.get({ ids: [row!.productId], include: [] })).ids).toEqual([row!.productId]);
  await expect(app.getByText("Indexed", { exact: true }).first()).toBeVisible();
  await screenshot(page, "products");
  await expectAccessibleOnDesktopAndPhone(page, "product detail", embeddedApp);
});

test("search playground: parsed filters, hybrid ranking with lexical and vector ranks, the widget's answer", async ({
  page,
}) => {
  const app = await openInAdmin(page, "/playground");
  await expect(app.getByText("Test what shoppers would get")).toBeVisible();
  await app.getByLabel("A shopper's question").fill("waterproof rain jacket under $300");
  await app.getByRole("button", { name: "Ask" }).click();
  await expect(app.getByText("How the question was understood")).toBeVisible({ timeout: 30_000 });
  await expect(app.getByText("price ≤ 300")).toBeVisible();
  await expect(app.locator("[data-searched-text]")).not.toContainText("$300");
  const ranking = app.locator("table").filter({ hasText: "Hybrid score" });
  const rows = ranking.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const firstRow = await rows.first().innerText();
  expect(firstRow.toLowerCase()).toMatch(/jacket|anorak/);
  // Both retrievers contribute: at least one row ranked by the lexical and the vector list alike.
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td,th")].map((td) => (td as HTMLElement).innerText)),
  );
  expect(
    cells.some((row) => row[3] !== "—" && row[4] !== "—"),
    JSON.stringify(cells),
  ).toBe(true);
  for (const row of cells) expect(Number(row[2])).toBeLessThanOrEqual(300);
  // No language model configured in the stack: the widget's grounded, retrieval-only answer.
  await expect(app.getByText("From search results (no language model)")).toBeVisible();
  await expect(app.locator("[data-answer-text]")).not.toBeEmpty();
  await screenshot(page, "playground");
  await expectAccessibleOnDesktopAndPhone(page, "search playground with results", embeddedApp);
});

test("assistant settings: invalid input is refused with a reason; a valid save persists per shop", async ({ page }) => {
  const app = await openInAdmin(page, "/settings");
  await expect(app.getByRole("heading", { name: "Assistant settings" })).toBeVisible();
  await expect(app.getByText("Using the defaults")).toBeVisible();
  await app.getByLabel("Persona").fill("   ");
  await app.getByRole("button", { name: "Save settings" }).click();
  await expect(app.getByText("The settings were not saved")).toBeVisible();
  await expect(app.getByText("Persona is required")).toBeVisible();
  expect(await db.assistantSettings.count()).toBe(0);
  await expectAccessibleOnDesktopAndPhone(page, "settings, refused with errors", embeddedApp);

  await app.getByLabel("Persona").fill("Ava, a trail and winter gear expert");
  await app.getByLabel("Tone").selectOption("professional");
  await app.getByLabel("Tags").uncheck();
  await app.getByLabel("Widget title").fill("Ask Ava");
  await app.getByRole("button", { name: "Save settings" }).click();
  await expect(app.getByText("Settings saved")).toBeVisible();
  await expect(app.getByText(/products are being embedded again/)).toBeVisible();
  const stored = await db.assistantSettings.findUnique({ where: { shop: SHOP } });
  expect(stored).toMatchObject({
    persona: "Ava, a trail and winter gear expert",
    tone: "professional",
    widgetTitle: "Ask Ava",
  });
  expect(JSON.parse(stored!.indexedFieldsJson)).not.toContain("tags");
  // The sync worker re-embeds every product without tags, and the products page shows the new text.
  await waitFor(
    "re-embedding",
    () => db.productSync.count({ where: { shop: SHOP, pending: true } }),
    (n) => n === 0,
  );
  await page.reload();
  await expect(app.getByLabel("Persona")).toHaveValue("Ava, a trail and winter gear expert");
  await expect(app.getByLabel("Tags")).not.toBeChecked();
  await screenshot(page, "settings");
  await expectAccessibleOnDesktopAndPhone(page, "settings, saved", embeddedApp);
  // The index now holds texts without tags: the products page shows the re-embedded text as indexed.
  const row = await db.productSync.findFirst({ where: { shop: SHOP, indexedContentHash: { not: null } } });
  const indexedProduct = JSON.parse(row!.snapshot!) as { title: string; handle: string };
  const products = await openInAdmin(page, "/products");
  await products.getByLabel("Search products").fill(indexedProduct.handle);
  await products.getByRole("button", { name: "Search" }).click();
  await products.getByRole("link", { name: indexedProduct.title }).click();
  await expect(products.getByText("Embedded text (exactly what the index holds)")).toBeVisible();
  await expect(products.locator("[data-embedded-text]")).not.toContainText("Tags:");
  await expect(products.locator("[data-embedded-text]")).toContainText("Brand:");
});

test("conversations: list and read, grouped unanswered questions, top queries, products from chat, data exports", async ({
  page,
}) => {
  const app = await openInAdmin(page, "/conversations");
  await expect(app.getByRole("heading", { name: "Conversations", exact: true })).toBeVisible();
  await expect(app.locator("table").first().locator("tbody tr")).toHaveCount(3);
  const unanswered = app
    .locator("div")
    .filter({ has: app.getByRole("heading", { name: "Unanswered or without matching products" }) })
    .last();
  // Two wordings of one question, grouped (shown in the wording of the latest conversation).
  await expect(unanswered.getByText(/^do you sell gift cards\??$/i)).toHaveCount(1);
  await expect(unanswered.getByText("2×")).toBeVisible();
  const top = app
    .locator("div")
    .filter({ has: app.getByRole("heading", { name: "Top questions" }) })
    .last();
  await expect(top.getByText("Something warm for winter hikes?")).toBeVisible();
  const first = await db.productSync.findFirst({ where: { shop: SHOP }, orderBy: { productId: "asc" } });
  const title = (JSON.parse(first!.snapshot!) as { title: string }).title;
  const fromChat = app.locator("table").filter({ hasText: "Added to cart" });
  await expect(fromChat.locator("tbody tr").first()).toContainText(title);
  await expect(fromChat.locator("tbody tr").first()).toContainText("2");
  await expect(app.locator('[data-chart^="Conversations per day"] svg').first()).toBeVisible();
  await expectAccessibleOnDesktopAndPhone(page, "conversations", embeddedApp);

  // Read one conversation.
  await app.locator("table").first().getByRole("link").first().click();
  await expect(app.locator('[data-message-role="user"]').first()).toBeVisible();
  await expectAccessibleOnDesktopAndPhone(page, "conversations, one conversation open", embeddedApp);

  // The data_request export downloads as JSON.
  const download = page.waitForEvent("download");
  await app.getByRole("button", { name: "Download JSON" }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  expect(JSON.stringify(exported)).toContain("7004001");
  await screenshot(page, "conversations");
});

test("another shop's dashboard shows only its own data", async ({ page }) => {
  const other = "second-outfitters.myshopify.com";
  running.emulator.createShop(other, { name: "Second Outfitters" });
  seedDemoStore(running.emulator, other, { limit: 5 });
  await running.emulator.installApp(other);
  await waitFor(
    "the second shop's import",
    () => db.importRun.findFirst({ where: { shop: other }, orderBy: { startedAt: "desc" } }),
    (run) => run?.status === "completed",
  );
  await page.setViewportSize({ width: 1400, height: 1100 });
  await page.goto(`${running.emulator.adminUrl(other)}/conversations`);
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await expect(app.getByText("No conversations yet")).toBeVisible();
  await expect(app.getByText("No customers/data_request received")).toBeVisible();
  await expectAccessible(page, "conversations, empty", embeddedApp);
  await page.goto(`${running.emulator.adminUrl(other)}/products`);
  await expect(app.getByText("5 matching")).toBeVisible();
  await page.goto(`${running.emulator.adminUrl(other)}/settings`);
  await expect(app.getByText("Using the defaults")).toBeVisible();
});

test("overview: the webhook subscriptions card shows a missing and an extra subscription, for keyboard and screen reader", async ({
  page,
}) => {
  // A shop whose install lacks read_orders (orders/* are not delivered) and that has a shop-scoped
  // subscription left by an older app version.
  const drift = "drift-outfitters.myshopify.com";
  const { emulator } = running;
  emulator.createShop(drift, { name: "Drift Outfitters" });
  seedDemoStore(emulator, drift, { limit: 3 });
  await emulator.installApp(drift);
  emulator.revokeScope(drift, "read_orders");
  const leftover = emulator.addShopSubscription(
    drift,
    "products/update",
    "https://old-aisle.example.com/webhooks/products/update",
  );
  const app = await openInAdmin(page, "", drift);
  const card = app
    .locator("div")
    .filter({ has: app.getByRole("heading", { name: "Webhook subscriptions" }) })
    .last();
  // The install's first visit may have checked the shop before the faults: ask again, with the keyboard alone.
  const checkAgain = card.getByRole("button", { name: "Check again" });
  await expect(checkAgain).toBeVisible();
  await app.locator("body").focus();
  let presses = 0;
  while (!(await checkAgain.evaluate((button) => button === document.activeElement))) {
    expect(++presses, "Tab never reached the Check again button").toBeLessThan(80);
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await expect(card.getByText("Differs from configuration")).toBeVisible();
  // What assistive technology gets: the card's heading, a counted heading per group, a list of topics.
  // The badge's tone is spoken, not only coloured.
  await expect(card).toMatchAriaSnapshot(`
    - heading "Webhook subscriptions" [level=2]
    - paragraph: /Checked \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC/
    - text: Warning Differs from configuration
    - button "Check again"
    - heading "Missing (2)" [level=3]
    - list:
      - listitem: "orders/create — access scope read_orders not granted: Shopify does not deliver it"
      - listitem: "orders/updated — access scope read_orders not granted: Shopify does not deliver it"
    - heading "Extra (1)" [level=3]
    - list:
      - listitem: products/update → https://old-aisle.example.com/webhooks/products/update — duplicates the app-scoped subscription, to another address
  `);
  await screenshot(page, "subscriptions-drift");
  await expectAccessibleOnDesktopAndPhone(
    page,
    "overview, subscription card with missing and extra topics",
    embeddedApp,
  );

  // The merchant deletes the leftover subscription and checks again: only the missing scope is left.
  emulator.removeShopSubscription(drift, leftover);
  await checkAgain.click();
  await expect(card.getByRole("heading", { name: "Extra (1)" })).toHaveCount(0);
  await expect(card.getByRole("heading", { name: "Missing (2)" })).toBeVisible();
  await expect(card.getByText("Differs from configuration")).toBeVisible();
});

test("overview: an unreachable vector store shows when it went down and how many updates wait; search still answers", async ({
  page,
}) => {
  await running.stack.chroma.stop();
  const store = running.emulator.shop(SHOP).store;
  const product = [...store.products.values()][5];
  store.updateProduct(product.id, { bodyHtml: "<p>Now with recycled insulation.</p>" });
  await waitFor(
    "the change to wait",
    () => db.productSync.count({ where: { shop: SHOP, pending: true } }),
    (n) => n >= 1,
  );
  const app = await openInAdmin(page);
  await expect(app.getByText(/The vector store unreachable since \d\d:\d\d UTC — 1 update waiting/)).toBeVisible();
  await expect(app.getByText("Changes are kept and indexed automatically")).toBeVisible();
  await screenshot(page, "overview-chroma-down");
  // Products still list from sync state; search still answers from the database (full-text and
  // filters), with no vector ranks while the vector store is down.
  const products = await openInAdmin(page, "/products");
  await expect(products.locator("tbody").getByText("Pending", { exact: true }).first()).toBeVisible();
  const playground = await openInAdmin(page, "/playground");
  await playground.getByLabel("A shopper's question").fill("a warm parka");
  await playground.getByRole("button", { name: "Ask" }).click();
  const rows = playground.locator("table").filter({ hasText: "Hybrid score" }).locator("tbody tr");
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td,th")].map((td) => (td as HTMLElement).innerText)),
  );
  expect(
    cells.every((row) => row[4] === "—"),
    JSON.stringify(cells),
  ).toBe(true);
  await expect(playground.getByText(/^(Search failed|Could not)/)).toHaveCount(0);
  // Scanned last: the scans take seconds, in which the waiting change would use up its attempts.
  await expectAccessibleOnDesktopAndPhone(page, "search playground, vector store down", embeddedApp);
  await openInAdmin(page);
  await expect(app.getByText(/The vector store unreachable since/)).toBeVisible();
  await expectAccessibleOnDesktopAndPhone(page, "overview, vector store down", embeddedApp);
});
