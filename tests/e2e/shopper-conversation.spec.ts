// Issue 16's shopper table in Chromium on the demo storefront, with no language model (the default):
// a shop seeded with the demo catalog's first 160 products through the emulator, the widget talking
// to the built app through the signed App Proxy, the conversation kept by the app (assistant turns
// carry only product ids). Each row is asserted the way a shopper would judge it: what kind of
// product the cards are, their prices against what was asked and shown, and what the text says.
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { DEMO_IMAGE_ORIGIN } from "../../tools/emulator/catalog/demo-catalog";
import { DEMO_CATALOG_CSV } from "../../tools/emulator/catalog/generate-demo-catalog";
import { readShopifyCsv } from "../../tools/emulator/catalog/shopify-csv";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { chatWidget, expectAccessible } from "./helpers/axe";
import { answers, ask, env, launcher, panel } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });
test.describe.configure({ mode: "serial" });

const SHOP = "kinds-outfitters.myshopify.com";
const catalog = readShopifyCsv(readFileSync(DEMO_CATALOG_CSV, "utf8")).slice(0, 160);
const byTitle = new Map(catalog.map((product) => [product.title, product]));
let storefrontUrl = "";

async function control<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env("AISLE_E2E_EMULATOR_URL")}/_emulator${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${path}: ${response.status} ${response.ok ? "" : await response.text()}`).toBe(true);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Waits until the chat answers with the slice's last searchable product: import and index are done. */
async function waitUntilIndexed(browser: Browser) {
  const last = [...catalog]
    .reverse()
    .find((product) => (product.status ?? "active") === "active" && product.published !== false)!;
  const page = await browser.newPage({ userAgent: BROWSER_USER_AGENT });
  await page.goto(storefrontUrl);
  await expect
    .poll(
      () =>
        page.evaluate(async (title) => {
          const response = await fetch("/apps/aisle/chat", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              message: title,
              visitorId: `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`,
            }),
          });
          // What came back, for the failure message: the status and the products event.
          return `${response.status} ${(await response.text()).slice(0, 400)}`;
        }, last.title),
      { timeout: 420_000, intervals: [3000, 5000] },
    )
    .toContain(`"title":${JSON.stringify(last.title)}`);
  await page.close();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(480_000);
  await control("/shops", { domain: SHOP, name: "Kinds Outfitters" });
  const emulatorUrl = env("AISLE_E2E_EMULATOR_URL");
  await control(
    `/shops/${SHOP}/seed`,
    catalog.map((product) => ({
      ...product,
      images: product.images?.map((image) => ({
        ...image,
        src: image.src.replace(DEMO_IMAGE_ORIGIN, `${emulatorUrl}/demo-images`),
      })),
    })),
  );
  expect((await control<{ status: number }>(`/shops/${SHOP}/install`, {})).status).toBeLessThan(400);
  storefrontUrl = (await control<{ url: string }>(`/shops/${SHOP}/storefront`, {})).url;
  await waitUntilIndexed(browser);
});

interface ShownCard {
  title: string;
  price: number;
  productType: string;
  sizes: string[];
}

/** The cards of the last answer, as the shopper sees them, with what the catalog says of each. */
async function lastCards(page: Page): Promise<ShownCard[]> {
  const bubble: Locator = page.locator(".aisle-message--assistant").last();
  const cards: ShownCard[] = [];
  for (const card of await bubble.locator(".aisle-card").all()) {
    const title = ((await card.locator(".aisle-card__title").textContent()) ?? "").trim();
    // The price shown (a sale shows the regular price after it).
    const priceText = (await card.locator(".aisle-card__price").first().textContent()) ?? "";
    const price = Number(/\$\s?([\d,]+\.\d{2})/.exec(priceText)?.[1].replace(/,/g, ""));
    const product = byTitle.get(title);
    expect(product, `a card for a product of the shop: ${title}`).toBeDefined();
    const sizeIndex = (product!.options ?? []).indexOf("Size");
    const sizes = sizeIndex < 0 ? [] : (product!.variants ?? []).map((v) => v.optionValues?.[sizeIndex] ?? "");
    cards.push({ title, price, productType: product!.productType ?? "", sizes });
  }
  return cards;
}

async function openChat(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ userAgent: BROWSER_USER_AGENT })).newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(storefrontUrl);
  await launcher(page).click();
  await expect(panel(page)).toBeVisible();
  return page;
}

const lastAnswer = async (page: Page) => ((await answers(page).last().textContent()) ?? "").trim();

test("a waterproof jacket under $150 for hiking, cheaper ones, then size M: jackets all the way", async ({
  browser,
}) => {
  const page = await openChat(browser);
  await ask(page, "a waterproof jacket under $150 for hiking");
  const first = await lastCards(page);
  expect(first.length).toBeGreaterThan(0);
  for (const card of first) {
    expect(card.productType, card.title).toMatch(/Jackets$/);
    expect(card.price, card.title).toBeLessThanOrEqual(150);
  }
  // No boots, even the "Waterproof Hiker" ones under $150.
  expect(first.some((card) => /Hiker|Boot/.test(card.title))).toBe(false);
  const text = await lastAnswer(page);
  expect(text).toMatch(/jackets under \$150\.00/);
  expect(text).not.toMatch(/\[\d+\]/);

  await ask(page, "cheaper ones?");
  const cheaper = await lastCards(page);
  const top = first[0].price;
  const cheaperText = await lastAnswer(page);
  expect(cheaper.length).toBeGreaterThan(0);
  for (const card of cheaper) expect(card.productType, card.title).toMatch(/Jackets$/);
  const prices = cheaper.map((card) => card.price);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  if (cheaper.every((card) => card.price < top)) {
    expect(cheaperText).toContain(
      `${cheaper.length === 1 ? "jacket" : "jackets"} cheaper than $${top.toFixed(2)}, cheapest first`,
    );
  } else {
    // The first one shown was already the cheapest: said so, not padded in silence.
    expect(cheaperText).toMatch(
      new RegExp(`^No jackets cheaper than \\$${top.toFixed(2).replace(".", "\\.")}; the cheapest is `),
    );
  }
  const bound = cheaper.every((card) => card.price < top) ? top : 150;

  await ask(page, "do you have it in size M?");
  const sized = await lastCards(page);
  expect(sized.length).toBeGreaterThan(0);
  for (const card of sized) {
    expect(card.productType, card.title).toMatch(/Jackets$/);
    expect(card.sizes, card.title).toContain("M");
    expect(card.price, card.title).toBeLessThanOrEqual(bound);
  }
  expect(await lastAnswer(page)).toMatch(/in size M/);
  await expectAccessible(page, "a refined conversation with cards", chatWidget);
});

test("backpacks, then anything cheaper: only packs cheaper than the first one shown", async ({ browser }) => {
  const page = await openChat(browser);
  await ask(page, "show me backpacks");
  const packs = await lastCards(page);
  expect(packs.length).toBeGreaterThan(1);
  expect(packs.every((card) => card.productType === "Backpacks")).toBe(true);
  await ask(page, "anything cheaper?");
  const cheaper = await lastCards(page);
  const text = await lastAnswer(page);
  expect(cheaper.length).toBeGreaterThan(0);
  expect(cheaper.every((card) => card.productType === "Backpacks")).toBe(true);
  const top = packs[0].price;
  if (cheaper.every((card) => card.price < top)) {
    expect(text).toContain(`backpacks cheaper than $${top.toFixed(2)}, cheapest first`);
  } else {
    // Nothing is cheaper: said so, never padded silently.
    expect(text).toMatch(/^No backpacks cheaper than/);
  }
});

test("do you sell kayaks? — says the shop does not, offers what it carries, shows no unrelated cards", async ({
  browser,
}) => {
  const page = await openChat(browser);
  await ask(page, "do you sell kayaks?");
  expect(await lastCards(page)).toEqual([]);
  expect(await lastAnswer(page)).toMatch(/^We don't seem to carry kayaks\. We do have [a-z &]+/);
  expect(await lastAnswer(page)).not.toContain("products that match");
  await expectAccessible(page, "an answer that the shop does not carry something", chatWidget);
});
