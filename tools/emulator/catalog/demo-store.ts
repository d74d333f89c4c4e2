// Fills an emulated shop with the shipped demo catalog (read back from its Shopify CSV, so the demo
// exercises the CSV path), a few customers to log in as, and its policies and pages (demo-content.ts).
import { readFileSync } from "node:fs";
import type { StoreEmulator } from "../store-emulator";
import { DEMO_IMAGE_ORIGIN } from "./demo-catalog";
import { DEMO_PAGES, DEMO_POLICIES } from "./demo-content";
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
  const { store } = emulator.shop(domain);
  for (const customer of DEMO_CUSTOMERS) store.createCustomer(customer);
  for (const policy of DEMO_POLICIES) store.content.setPolicy(policy.type, policy);
  for (const page of DEMO_PAGES) store.content.savePage(page);
  return count;
}
