// A merchant's own catalog file (`npm run demo -- --catalog FILE`, `npm run eval -- --catalog FILE`):
// a Shopify product CSV export or a REST products JSON, read leniently. Real exports are messy, so
// a product Shopify would refuse is left out with the reason instead of stopping the whole demo,
// and what was cleaned on the way (HTML in titles) is counted, so the merchant sees what they get.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ShopStore } from "../store/shop-store";
import type { ProductInput } from "../store/model";
import { readProductsJson } from "./products-json";
import { readShopifyCsvLenient } from "./shopify-csv";

export interface SkippedProduct {
  /** "CSV line 12" or "products[3]". */
  where: string;
  handle: string | null;
  reason: string;
}

export interface CatalogFileReport {
  file: string;
  format: "shopify-csv" | "products-json";
  /** Products read from the file (before the store's own checks). */
  read: number;
  variants: number;
  skipped: SkippedProduct[];
  /** Titles that carried HTML tags, now plain text. */
  titlesCleaned: number;
  /** Products with no description: searchable by title, type, tags and options only. */
  withoutDescription: number;
  /** Products that are not active or not published: imported, but shoppers do not see them. */
  hidden: number;
  /**
   * Active products published here because the file published none of them (an export of a store
   * that sells through another channel says Published=false everywhere): without that, the demo
   * would have nothing to search.
   */
  published: number;
}

const TAG = /<\/?[a-z][^>]*>/gi;

/** Text without HTML tags and with whitespace collapsed ("Zero <b>Pest</b> gal" → "Zero Pest gal"). */
export function stripTags(text: string): string {
  return text.replace(TAG, " ").replace(/\s+/g, " ").trim();
}

export function readCatalogFile(file: string): { products: ProductInput[]; report: CatalogFileReport } {
  const text = readFileSync(file, "utf8");
  const json = path.extname(file).toLowerCase() === ".json" || text.trimStart().startsWith("{");
  const skipped: SkippedProduct[] = [];
  const raw = json
    ? readProductsJson(text)
    : readShopifyCsvLenient(text, (problem) =>
        skipped.push({ where: `CSV line ${problem.line}`, handle: problem.handle, reason: problem.reason }),
      ).products;
  let titlesCleaned = 0;
  const isActive = (p: ProductInput) => (p.status ?? "active") === "active";
  const nonePublished = !raw.some((p) => isActive(p) && p.published !== false);
  let published = 0;
  const products = raw.map((product) => {
    const title = stripTags(product.title);
    const publish = nonePublished && isActive(product);
    if (title !== product.title) titlesCleaned++;
    if (publish) published++;
    return { ...product, title, published: publish ? true : product.published };
  });
  const report: CatalogFileReport = {
    file,
    format: json ? "products-json" : "shopify-csv",
    read: products.length,
    variants: products.reduce((sum, p) => sum + (p.variants?.length ?? 1), 0),
    skipped,
    titlesCleaned,
    withoutDescription: products.filter((p) => !stripTags(p.bodyHtml ?? "")).length,
    hidden: products.filter((p) => !isActive(p) || p.published === false).length,
    published,
  };
  return { products, report };
}

/**
 * Creates each product in the store; one the store refuses (Shopify's product rules: blank or
 * over-long title, more than 3 options, a repeated option combination…) is added to the report's
 * skipped list. Returns how many were created.
 */
export function seedCatalog(store: ShopStore, products: ProductInput[], report: CatalogFileReport): number {
  let created = 0;
  products.forEach((input, index) => {
    try {
      store.createProduct(input, { silent: true });
      created++;
    } catch (error) {
      const where = report.format === "products-json" ? `products[${index}]` : `product ${index + 1}`;
      report.skipped.push({ where, handle: input.handle ?? null, reason: (error as Error).message });
    }
  });
  return created;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The report as lines for a terminal: counts first, then every skipped product with its reason (up to `maxListed`). */
export function formatCatalogReport(report: CatalogFileReport, created: number, maxListed = 20): string {
  const lines = [
    `Catalog ${report.file} (${report.format === "shopify-csv" ? "Shopify product CSV" : "products JSON"}):`,
    `  ${count(created, "product", "products")} created in the store (${report.variants} variants read), ${report.skipped.length} skipped`,
  ];
  if (report.titlesCleaned)
    lines.push(`  ${count(report.titlesCleaned, "title had", "titles had")} HTML tags: imported as plain text`);
  if (report.withoutDescription)
    lines.push(
      `  ${count(report.withoutDescription, "product has", "products have")} no description: found by title, type, tags and options only`,
    );
  if (report.published)
    lines.push(
      `  no active product is published to the Online Store in this file: the demo publishes all ${report.published}`,
    );
  if (report.hidden)
    lines.push(
      `  ${count(report.hidden, "product is", "products are")} draft, archived or unpublished: imported but not shown to shoppers`,
    );
  for (const skip of report.skipped.slice(0, maxListed)) {
    lines.push(`  skipped ${skip.where}${skip.handle ? ` (${skip.handle})` : ""}: ${skip.reason}`);
  }
  if (report.skipped.length > maxListed) lines.push(`  … and ${report.skipped.length - maxListed} more skipped`);
  return lines.join("\n");
}
