import { expect, test } from "@playwright/test";

const appUrl = () => {
  const url = process.env.AISLE_E2E_APP_URL;
  if (!url) throw new Error("AISLE_E2E_APP_URL is not set: the e2e global setup did not run");
  return url;
};

test("the landing page explains Aisle and offers the shop login", async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByRole("heading", { level: 1, name: "Aisle" })).toBeVisible();
  await expect(page.getByText("Always fresh")).toBeVisible();
  await expect(page.getByLabel("Shop domain")).toBeVisible();
});

test("logging in with an invalid shop domain shows why", async ({ page }) => {
  await page.goto(appUrl());
  await page.getByLabel("Shop domain").fill("not a shop");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("Please enter a valid shop domain")).toBeVisible();
});

test("the public health answer is the status alone", async ({ page }) => {
  const response = await page.goto(`${appUrl()}/healthz`);
  expect(response?.status()).toBe(200);
  expect(JSON.parse(await page.locator("body").innerText())).toEqual({ status: "ok" });
});

test("the health report shows every dependency up to a caller with the token", async ({ request }) => {
  const response = await request.get(`${appUrl()}/healthz`, {
    headers: { authorization: `Bearer ${process.env.AISLE_E2E_HEALTH_TOKEN}` },
  });
  expect(response.status()).toBe(200);
  const report = await response.json();
  expect(report.status).toBe("ok");
  expect(report.components.database).toMatchObject({ status: "ok", detail: "sqlite" });
  expect(report.components.vectorStore.status).toBe("ok");
  expect(report.components.embedder).toMatchObject({ status: "ok" });
  expect(report.components.embedder.detail).toContain("512 dimensions");
  expect(report.components.llm.status).toBe("disabled");
});

test("every response carries a request id", async ({ request }) => {
  const response = await request.get(`${appUrl()}/healthz`, { headers: { "x-request-id": "e2e-check-1" } });
  expect(response.headers()["x-request-id"]).toBe("e2e-check-1");
});
