// `npx tsx tools/emulator/catalog/generate-demo-catalog.ts`: writes the demo catalog (demo-catalog.ts) as a Shopify product CSV.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demoProducts } from "./demo-catalog";
import { writeShopifyCsv } from "./shopify-csv";

export const DEMO_CATALOG_CSV = path.join(path.dirname(fileURLToPath(import.meta.url)), "demo-catalog.csv");

if (import.meta.url === `file://${process.argv[1]}`) {
  const products = demoProducts();
  writeFileSync(DEMO_CATALOG_CSV, writeShopifyCsv(products));
  console.log(`Wrote ${products.length} products to ${path.relative(process.cwd(), DEMO_CATALOG_CSV)}`);
}
