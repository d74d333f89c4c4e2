// `npm run emulator -- [options]`: runs the store emulator on its own (the app started separately with
// `node --import ./tools/emulator/fetch-seam.mjs server.mjs` and SHOPIFY_EMULATOR_URL pointing here).
//   --port 3100                 emulator port
//   --app-url URL               where the app listens (webhooks, app proxy, install); default http://127.0.0.1:3000
//   --shop DOMAIN               shop to create (default trailhead-supply.myshopify.com)
//   --catalog demo|FILE|generated:N   seed: the demo CSV, a Shopify CSV / products JSON file, or N generated products
//   --install                   install the app (the app must be running)
//   --storefront-port 3101      storefront port
// While it runs, /_emulator/* is the control API (see tools/emulator/README.md).
import { parseArgs } from "node:util";
import { DEMO_APP_CREDENTIALS } from "../stack";
import { demoProductStream } from "./catalog/demo-catalog";
import { seedDemoStore } from "./catalog/demo-store";
import { formatCatalogReport, readCatalogFile, seedCatalog } from "./catalog/catalog-file";
import { startStoreEmulator } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3100" },
    "app-url": { type: "string", default: "http://127.0.0.1:3000" },
    shop: { type: "string", default: "trailhead-supply.myshopify.com" },
    catalog: { type: "string", default: "demo" },
    install: { type: "boolean", default: false },
    "storefront-port": { type: "string", default: "3101" },
    "api-key": { type: "string", default: DEMO_APP_CREDENTIALS.apiKey },
    "api-secret": { type: "string", default: DEMO_APP_CREDENTIALS.apiSecret },
  },
});

const emulator = await startStoreEmulator({
  app: { apiKey: values["api-key"]!, apiSecret: values["api-secret"]!, appUrl: values["app-url"]! },
  port: Number(values.port),
});
const shop = values.shop!;
const store = emulator.createShop(shop);
const catalog = values.catalog!;
const started = performance.now();
let count: number;
if (catalog === "demo") count = seedDemoStore(emulator, shop);
else if (catalog.startsWith("generated:"))
  count = emulator.seed(shop, demoProductStream(Number(catalog.slice("generated:".length))));
else {
  // A merchant's export, read as `npm run demo -- --catalog` reads it: bad products skipped and listed.
  const { products, report } = readCatalogFile(catalog);
  count = seedCatalog(store, products, report);
  console.log(formatCatalogReport(report, count));
}
console.log(`Seeded ${count} products into ${shop} in ${Math.round(performance.now() - started)} ms`);
const storefront = await emulator.storefront(shop, { port: Number(values["storefront-port"]) });
if (values.install) await emulator.installApp(shop);
console.log(`
Store emulator: ${emulator.url}
  Admin API:    https://${shop}/admin/api/2026-07/graphql.json → ${emulator.url}/shops/${shop}/admin/api/2026-07/graphql.json
  Admin frame:  ${emulator.adminUrl(shop)}
  Storefront:   ${storefront.url}
  Control API:  ${emulator.url}/_emulator/shops/${shop}/...
Ctrl-C stops it.`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void emulator.stop().then(() => process.exit(0)));
