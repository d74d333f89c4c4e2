// Starts the whole local stack (Chroma, migrated SQLite, the built app) for the browser tests,
// and publishes its addresses through environment variables read by the specs.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulatedStack } from "../../tools/emulator/emulated-stack";
import { seedDemoStore } from "../../tools/emulator/catalog/demo-store";

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-e2e-"));
  // The app runs against the store emulator (fetch seam preloaded), with one installed demo shop.
  // The health report's details need the token (docs/decisions/094); the specs read it from here.
  const healthToken = "e2e-health-token-2b7f41";
  // The specs check what hybrid ranking shows. On a loaded CI machine (Chromium, Chroma and the model
  // sharing 2 cores) a Chroma answer can pass the 250 ms production budget, and that search is then
  // lexical only, as designed (tests/search/hybrid-search.test.ts). A wider budget keeps what the
  // specs see independent of machine load.
  const { stack, emulator, stop } = await startEmulatedStack({
    dataDir,
    env: { HEALTH_TOKEN: healthToken, SEARCH_VECTOR_TIMEOUT_MS: "2000" },
  });
  const shop = "e2e-shop.myshopify.com";
  emulator.createShop(shop, { name: "E2E Outfitters" });
  seedDemoStore(emulator, shop, { limit: 40 });
  await emulator.installApp(shop);
  process.env.AISLE_E2E_APP_URL = stack.app.url;
  process.env.AISLE_E2E_HEALTH_TOKEN = healthToken;
  process.env.AISLE_E2E_EMULATOR_URL = emulator.url;
  process.env.AISLE_E2E_SHOP = shop;
  process.env.AISLE_E2E_ADMIN_URL = emulator.adminUrl(shop);
  process.env.AISLE_E2E_STOREFRONT_URL = (await emulator.storefront(shop)).url;
  return async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
