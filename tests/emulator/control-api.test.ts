// The HTTP control API (used by the CLI and by browser tests): catalog changes emit webhooks, bulk edits
// touch exactly the matching products, and bad input answers 400 without changing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";

const SHOP = "control.myshopify.com";
let emulator: StoreEmulator;

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
};

beforeAll(async () => {
  emulator = await startStoreEmulator({ app: { ...DEMO_APP_CREDENTIALS, appUrl: "http://127.0.0.1:9" } });
  await call("POST", "/shops", { domain: SHOP, name: "Control" });
  await call("POST", `/shops/${SHOP}/seed`, [
    { title: "Blue Mug", vendor: "Kiln", variants: [{ price: "10.00", inventoryQuantity: 5 }] },
    { title: "Red Mug", vendor: "Kiln", variants: [{ price: "20.00", inventoryQuantity: 5 }] },
    { title: "Tea Towel", vendor: "Loom", variants: [{ price: "8.00" }] },
  ]);
});

afterAll(async () => {
  await emulator?.stop();
});

describe("control API", () => {
  it("refuses bad input with the reason and leaves the store unchanged", async () => {
    const before = JSON.stringify([...emulator.shop(SHOP).store.products.values()]);
    const variant = [...emulator.shop(SHOP).store.allVariants()][0];
    expect(await call("PATCH", `/shops/${SHOP}/variants/${variant.id}`, { price: "ten" })).toEqual({
      status: 400,
      body: { error: 'price: a decimal string like "19.99"' },
    });
    expect((await call("POST", `/shops/${SHOP}/products`, { title: "" })).status).toBe(400);
    expect((await call("DELETE", `/shops/${SHOP}/products/123`)).body.error).toMatch(/No product 123/);
    expect((await call("POST", `/shops/nope.myshopify.com/products`, { title: "X" })).body.error).toMatch(
      /No emulated shop/,
    );
    expect(JSON.stringify([...emulator.shop(SHOP).store.products.values()])).toBe(before);
  });

  it("bulk-edits only the products matching the search query", async () => {
    const result = await call("POST", `/shops/${SHOP}/bulk-edit`, {
      query: "vendor:Kiln",
      pricePercent: 10,
      addTags: ["sale"],
    });
    expect(result.body).toEqual({ updated: 2 });
    const products = [...emulator.shop(SHOP).store.products.values()];
    expect(products.map((p) => [p.title, p.variants[0].price, p.tags])).toEqual([
      ["Blue Mug", "11.00", ["sale"]],
      ["Red Mug", "22.00", ["sale"]],
      ["Tea Towel", "8.00", []],
    ]);
  });

  it("creates, updates, sells and deletes products", async () => {
    const created = await call("POST", `/shops/${SHOP}/products`, {
      title: "Green Mug",
      variants: [{ price: "12.00", inventoryQuantity: 2 }],
    });
    expect(created.status).toBe(200);
    const variantId = created.body.variants[0].id;
    expect(
      (await call("POST", `/shops/${SHOP}/variants/${variantId}/sell`, { quantity: 2 })).body.variants[0]
        .inventoryQuantity,
    ).toBe(0);
    expect((await call("POST", `/shops/${SHOP}/variants/${variantId}/sell`, { quantity: 1 })).status).toBe(400);
    expect((await call("PATCH", `/shops/${SHOP}/products/${created.body.id}`, { title: "Jade Mug" })).body.title).toBe(
      "Jade Mug",
    );
    expect((await call("DELETE", `/shops/${SHOP}/products/${created.body.id}`)).status).toBe(204);
    expect(emulator.shop(SHOP).store.products.has(created.body.id)).toBe(false);
  });
});
