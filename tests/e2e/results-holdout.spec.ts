// Issue 18's second "done when": a simulated run of 2,000 visitors with a 50 % holdout through the emulated
// storefront (signed App Proxy → the app's session endpoint; cart, attributes and checkout → orders/create)
// splits within 45–55 %, and the Results page's per-group figures equal those computed here from the
// emulator's own orders. A fresh shop of its own, so no other spec's visitors are in the figures.
import { expect, test } from "@playwright/test";
import { BROWSER_USER_AGENT } from "../../tools/emulator/store-emulator";
import { simulateTraffic } from "../../tools/emulator/traffic";
import { embeddedApp, expectAccessibleOnDesktopAndPhone } from "./helpers/axe";
import { env } from "./storefront-shopper";

test.use({ userAgent: BROWSER_USER_AGENT });
test.describe.configure({ mode: "serial", timeout: 300_000 });

const SHOP = "holdout-outfitters.myshopify.com";
const VISITORS = 2000;

async function control<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env("AISLE_E2E_EMULATOR_URL")}/_emulator${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const count = (value: number) => value.toLocaleString("en-US");
const rate = (orders: number, visitors: number) => `${Math.round((orders / visitors) * 10_000) / 100} %`;

test("2,000 visitors with a 50 % holdout: the split, and Results' per-group figures from the emulator's orders", async ({
  page,
}) => {
  const { adminUrl } = await control<{ adminUrl: string }>("/shops", { domain: SHOP, name: "Holdout Outfitters" });
  await control("/shops/" + SHOP + "/seed", [
    { title: "Trail Mug", variants: [{ price: "12.00", inventoryQuantity: 1000 }] },
    { title: "Camp Lantern", variants: [{ price: "34.50", inventoryQuantity: 1000 }] },
  ]);
  expect((await control<{ status: number }>(`/shops/${SHOP}/install`, {})).status).toBeLessThan(400);
  const { url: storefrontUrl } = await control<{ url: string }>(`/shops/${SHOP}/storefront`, {});

  // The merchant turns the holdout on in the dashboard.
  await page.setViewportSize({ width: 1400, height: 1100 });
  await page.goto(`${adminUrl}/settings`);
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await app.getByLabel("Visitors who do not see the assistant (%)").fill("50");
  await app.getByRole("button", { name: "Save settings" }).click();
  await expect(app.getByText(/Last saved/)).toBeVisible();

  const variantIds = (await control<{ variants: { id: number }[] }[]>(`/shops/${SHOP}/products`)).flatMap((product) =>
    product.variants.map((variant) => variant.id),
  );
  const run = await simulateTraffic({
    storefrontUrl,
    visitors: VISITORS,
    buyRate: { assistant: 0.06, holdout: 0.04 },
    variantIds,
  });
  const held = run.visitors.holdout / VISITORS;
  expect(held).toBeGreaterThanOrEqual(0.45);
  expect(held).toBeLessThanOrEqual(0.55);

  // The emulator's orders, read back: each carries its group as a note attribute.
  const orders = await control<{ noteAttributes: { name: string; value: string }[] }[]>(`/shops/${SHOP}/orders`);
  const ordersOf = (group: string) =>
    orders.filter((order) => order.noteAttributes.some((a) => a.name === "_aisle_group" && a.value === group)).length;
  expect(ordersOf("assistant") + ordersOf("holdout")).toBe(orders.length);
  expect([ordersOf("assistant"), ordersOf("holdout")]).toEqual([run.orders.assistant, run.orders.holdout]);

  const holdoutTable = () => app.locator("table").filter({ hasText: "Orders per visitor" });
  await expect
    .poll(
      async () => {
        await page.goto(`${adminUrl}/results?days=7`);
        await expect(app.getByRole("heading", { name: "Results", exact: true })).toBeVisible();
        return (await holdoutTable().locator("tbody tr").allTextContents()).join(" | ");
      },
      { timeout: 60_000, intervals: [1000, 2000] },
    )
    .toContain(`Held out${count(run.visitors.holdout)}${count(ordersOf("holdout"))}`);
  const rows = holdoutTable().locator("tbody tr");
  await expect(rows.filter({ hasText: "Saw the assistant" })).toHaveText(
    `Saw the assistant${count(run.visitors.assistant)}${count(ordersOf("assistant"))}${rate(ordersOf("assistant"), run.visitors.assistant)}`,
  );
  await expect(rows.filter({ hasText: "Held out" })).toHaveText(
    `Held out${count(run.visitors.holdout)}${count(ordersOf("holdout"))}${rate(ordersOf("holdout"), run.visitors.holdout)}`,
  );
  await expect(app.locator("[data-holdout-verdict]")).toContainText("95 % interval");
  await expectAccessibleOnDesktopAndPhone(page, "results with the holdout comparison", embeddedApp);
});
