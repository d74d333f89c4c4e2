// `npm run demo -- --catalog FILE`'s reader: a merchant's messy export is read leniently — a bad
// product is skipped with its line and reason, titles lose stray HTML, a file that publishes nothing
// gets its active products published — and a file that is not a Shopify export is refused. Real
// exports from ../shared/data when present.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatCatalogReport, readCatalogFile, seedCatalog } from "../../tools/emulator/catalog/catalog-file";
import { IdSequence, ShopStore } from "../../tools/emulator/store/shop-store";
import { fixturesPresent, SHARED_DATA } from "./fixtures";

const dir = mkdtempSync(path.join(os.tmpdir(), "aisle-catalog-file-"));
function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const HEADER = "Handle,Title,Body (HTML),Vendor,Type,Published,Status,Option1 Name,Option1 Value,Variant Price";

describe("a merchant's catalog file", () => {
  it("skips bad products with line and reason, cleans titles, and reads the rest", () => {
    const csv = file(
      "messy.csv",
      [
        HEADER,
        'good-tent,Ridge <b>Tent</b>,"<p>Two person</p>",Acme,Tents,TRUE,active,Size,2P,120.00',
        "good-tent,,,,,,,Size,3P,150.00",
        "bad-price,Lantern,,Acme,Lights,TRUE,active,Title,Default Title,twelve",
        "bad-price,,,,,,,Title,Default Title,12.00",
        "no-title,,,Acme,Lights,TRUE,active,Title,Default Title,9.00",
        "draft-mug,Mug,,Acme,Kitchen,TRUE,draft,Title,Default Title,9.00",
      ].join("\n"),
    );
    const { products, report } = readCatalogFile(csv);
    expect(products.map((p) => p.handle)).toEqual(["good-tent", "draft-mug"]);
    expect(products[0].title).toBe("Ridge Tent");
    expect(products[0].variants).toHaveLength(2);
    expect(report).toMatchObject({ format: "shopify-csv", read: 2, variants: 3, titlesCleaned: 1, hidden: 1 });
    expect(report.skipped).toEqual([
      { where: "CSV line 4", handle: "bad-price", reason: 'Variant Price "twelve" is not a price' },
      { where: "CSV line 6", handle: "no-title", reason: 'the first row of "no-title" needs a Title' },
    ]);

    const store = new ShopStore("messy.myshopify.com", "Messy", "USD", new IdSequence());
    const created = seedCatalog(store, products, report);
    expect(created).toBe(2);
    const text = formatCatalogReport(report, created);
    expect(text).toContain("2 products created in the store (3 variants read), 2 skipped");
    expect(text).toContain("1 title had HTML tags");
    expect(text).toContain('skipped CSV line 4 (bad-price): Variant Price "twelve" is not a price');
  });

  it("reports products the store refuses (Shopify's product rules) as skipped", () => {
    const json = file(
      "products.json",
      JSON.stringify({
        products: [
          { title: "Fine", variants: [{ price: "5.00" }] },
          { title: "x".repeat(300), handle: "long", variants: [{ price: "5.00" }] },
        ],
      }),
    );
    const { products, report } = readCatalogFile(json);
    const store = new ShopStore("json.myshopify.com", "Json", "USD", new IdSequence());
    expect(seedCatalog(store, products, report)).toBe(1);
    expect(report.skipped).toEqual([
      { where: "products[1]", handle: "long", reason: "Title is too long (maximum is 255 characters)" },
    ]);
  });

  it("publishes the active products of a file that publishes none, and says so", () => {
    const csv = file(
      "unpublished.csv",
      [HEADER, "a,A,,V,T,FALSE,active,Title,Default Title,1.00", "b,B,,V,T,FALSE,draft,Title,Default Title,1.00"].join(
        "\n",
      ),
    );
    const { products, report } = readCatalogFile(csv);
    expect(products.map((p) => p.published)).toEqual([true, false]);
    expect(report.published).toBe(1);
    expect(formatCatalogReport(report, 2)).toContain("the demo publishes all 1");
  });

  it("refuses a file that is not a Shopify product export, naming what is missing", () => {
    const other = file("other.csv", "Product_ID,Product_Name,Variant_Price\n1,Tent,10\n");
    expect(() => readCatalogFile(other)).toThrow(
      /Not a Shopify product CSV export: no Handle, Title, Variant Price column/,
    );
    expect(() => readCatalogFile(file("bad.json", '{"items": []}'))).toThrow('Expected {"products": [...]}');
  });
});

const HMOON = path.join(SHARED_DATA, "catalogs", "hmoonhydro");
describe.skipIf(!fixturesPresent("hmoonhydro export", HMOON))("the hmoonhydro export (shared data)", () => {
  it("imports with HTML titles cleaned and the unpublished export published", () => {
    const { products, report } = readCatalogFile(path.join(HMOON, "products_export_1.csv"));
    expect(report.read).toBeGreaterThan(1000);
    expect(report.titlesCleaned).toBeGreaterThan(0);
    expect(products.every((p) => !/<[a-z]/i.test(p.title))).toBe(true);
    expect(report.published).toBeGreaterThan(1000);
    const store = new ShopStore("hmoon.myshopify.com", "HMoon", "USD", new IdSequence());
    expect(seedCatalog(store, products, report)).toBe(report.read - report.skipped.length);
  });

  it("refuses the non-Shopify export beside it", () => {
    expect(() => readCatalogFile(path.join(HMOON, "products_export_1.older_commit.csv"))).toThrow(
      /Not a Shopify product CSV export/,
    );
  });
});
