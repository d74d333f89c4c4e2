// Fills an emulated shop with the shipped demo catalog (read back from its Shopify CSV, so the demo
// exercises the CSV path) and a few customers to log in as.
import { readFileSync } from "node:fs";
import type { StoreEmulator } from "../store-emulator";
import { DEMO_IMAGE_ORIGIN } from "./demo-catalog";
import { DEMO_CATALOG_CSV } from "./generate-demo-catalog";
import { readShopifyCsv } from "./shopify-csv";

export const DEMO_CUSTOMERS = [
  { firstName: "Maya", lastName: "Okafor", email: "maya.okafor@example.com", tags: ["vip"] },
  { firstName: "Lukas", lastName: "Berg", email: "lukas.berg@example.com", tags: [] },
  { firstName: "Priya", lastName: "Raman", email: "priya.raman@example.com", tags: ["newsletter"] },
];

export function seedDemoStore(
  emulator: StoreEmulator,
  domain: string,
  options: { csvFile?: string; limit?: number } = {},
): number {
  const all = readShopifyCsv(readFileSync(options.csvFile ?? DEMO_CATALOG_CSV, "utf8"));
  const products = all.slice(0, options.limit ?? all.length).map((product) => ({
    ...product,
    images: product.images?.map((image) => ({
      ...image,
      src: image.src.replace(DEMO_IMAGE_ORIGIN, `${emulator.url}/demo-images`),
    })),
  }));
  const count = emulator.seed(domain, products);
  for (const customer of DEMO_CUSTOMERS) emulator.shop(domain).store.createCustomer(customer);
  return count;
}
