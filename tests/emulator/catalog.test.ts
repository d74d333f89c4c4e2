// The shipped demo catalog and the catalog readers: the CSV is exactly the generator's output, has the
// promised breadth, round-trips through the Shopify CSV reader, and real exports (shared data) seed a store.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoProducts } from "../../tools/emulator/catalog/demo-catalog";
import { DEMO_CATALOG_CSV } from "../../tools/emulator/catalog/generate-demo-catalog";
import { readProductsJson } from "../../tools/emulator/catalog/products-json";
import { readShopifyCsv, writeShopifyCsv } from "../../tools/emulator/catalog/shopify-csv";
import { IdSequence, ShopStore } from "../../tools/emulator/store/shop-store";
import { fixturesPresent, SHARED_DATA } from "./fixtures";

const CATALOGS = path.join(SHARED_DATA, "catalogs");

describe("demo catalog", () => {
  it("is exactly what the deterministic generator writes (re-run `npx tsx tools/emulator/catalog/generate-demo-catalog.ts` after changing it)", () => {
    expect(readFileSync(DEMO_CATALOG_CSV, "utf8")).toBe(writeShopifyCsv(demoProducts()));
  });

  it("has ≥ 300 products with variants across categories, sales, drafts, unpublished and sold-out items", () => {
    const products = readShopifyCsv(readFileSync(DEMO_CATALOG_CSV, "utf8"));
    const variants = products.flatMap((p) => p.variants ?? []);
    expect(products.length).toBeGreaterThanOrEqual(300);
    expect(new Set(products.map((p) => p.productType)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(products.map((p) => p.vendor)).size).toBeGreaterThanOrEqual(5);
    expect(variants.length).toBeGreaterThan(products.length * 3);
    expect(products.filter((p) => p.status === "draft").length).toBeGreaterThan(0);
    expect(products.filter((p) => p.status === "active" && p.published === false).length).toBeGreaterThan(0);
    expect(variants.filter((v) => v.compareAtPrice).length).toBeGreaterThan(50);
    expect(variants.filter((v) => v.inventoryQuantity === 0).length).toBeGreaterThan(20);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    for (const v of variants) {
      const digits = [...v.barcode!].map(Number);
      const check = (10 - (digits.slice(0, 12).reduce((sum, d, i) => sum + d * (i % 2 ? 3 : 1), 0) % 10)) % 10;
      expect(digits[12]).toBe(check);
    }
  });

  it("seeds a store whose products keep their variants, images and prices", () => {
    const store = new ShopStore("demo.myshopify.com", "Demo", "USD", new IdSequence());
    for (const input of readShopifyCsv(readFileSync(DEMO_CATALOG_CSV, "utf8")))
      store.createProduct(input, { silent: true });
    const generated = demoProducts();
    expect(store.products.size).toBe(generated.length);
    const first = store.productByHandle(generated[0].handle)!;
    expect(first.variants.map((v) => v.price)).toEqual(generated[0].variants!.map((v) => Number(v.price).toFixed(2)));
    expect(first.images.length).toBe(generated[0].images!.length);
    expect(first.variants.every((v) => v.imageId !== null)).toBe(true);
  });
});

describe("CSV reader", () => {
  it("refuses a row without a price or with a bad quantity, naming the line", () => {
    expect(() => readShopifyCsv("Handle,Title,Variant Price\nx,X,\n")).toThrow(
      /line 2: "x" has no row with a Variant Price/,
    );
    expect(() => readShopifyCsv("Handle,Title,Variant Price,Variant Inventory Qty\nx,X,1.00,many\n")).toThrow(
      /line 2: Variant Inventory Qty/,
    );
  });
});

describe.skipIf(!fixturesPresent("real catalogs", CATALOGS))("real catalogs (shared data)", () => {
  it("seeds from a real Shopify CSV export", () => {
    const products = readShopifyCsv(readFileSync(path.join(CATALOGS, "hmoonhydro", "products_export_1.csv"), "utf8"));
    const store = new ShopStore("hmoon.myshopify.com", "HMoon", "USD", new IdSequence());
    let refused = 0;
    for (const input of products) {
      try {
        store.createProduct(input, { silent: true });
      } catch {
        refused++;
      }
    }
    console.info(`[catalog] hmoonhydro: ${store.products.size} seeded, ${refused} refused by Shopify's product rules`);
    expect(store.products.size).toBeGreaterThan(1000);
  });

  it("seeds from a real REST products JSON", () => {
    const products = readProductsJson(readFileSync(path.join(CATALOGS, "spacire", "products_merged.json"), "utf8"));
    const store = new ShopStore("spacire.myshopify.com", "Spacire", "GBP", new IdSequence());
    for (const input of products) store.createProduct(input, { silent: true });
    expect(store.products.size).toBe(507);
    expect([...store.allVariants()].length).toBeGreaterThan(4000);
  });
});
