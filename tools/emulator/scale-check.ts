// Scale check: a generated store of N products (default 100,000) served by the emulator — seeding time,
// memory, a paged Admin API read and a full bulk export (products + variants) streamed to JSONL.
//   npx tsx tools/emulator/scale-check.ts [N]
import { DEMO_APP_CREDENTIALS } from "../stack";
import { demoProductStream } from "./catalog/demo-catalog";
import { requestTokenExchange } from "./auth/token-exchange-request";
import { startStoreEmulator } from "./index";

const count = Number(process.argv[2] ?? 100_000);
const shop = "scale.myshopify.com";
const emulator = await startStoreEmulator({ app: { ...DEMO_APP_CREDENTIALS, appUrl: "http://127.0.0.1:9" } });
emulator.createShop(shop);
let started = performance.now();
const seeded = emulator.seed(shop, demoProductStream(count));
const seedMs = performance.now() - started;
global.gc?.();
const heapMb = process.memoryUsage().heapUsed / 1e6;

const exchange = await requestTokenExchange({
  emulatorUrl: emulator.url,
  shop,
  sessionToken: await emulator.signSessionToken(shop),
  ...DEMO_APP_CREDENTIALS,
});
const token = ((await exchange.json()) as { access_token: string }).access_token;
const graphql = async (query: string, variables?: unknown) => {
  const response = await fetch(`${emulator.url}/shops/${shop}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, Record<string, unknown>> };
};

started = performance.now();
let after: string | null = null;
for (let page = 0; page < 10; page++) {
  const { data } = await graphql(
    "query($after: String) { products(first: 250, after: $after) { nodes { id title variants(first: 10) { nodes { price } } } pageInfo { endCursor } } }",
    { after },
  );
  after = (data.products.pageInfo as { endCursor: string }).endCursor;
}
const pageMs = (performance.now() - started) / 10;

started = performance.now();
const run = await graphql(`
  mutation {
    bulkOperationRunQuery(
      query: "{ products { edges { node { id title vendor variants { edges { node { id sku price inventoryQuantity } } } } } } }"
    ) {
      bulkOperation {
        id
      }
      userErrors {
        message
      }
    }
  }
`);
const id = (run.data.bulkOperationRunQuery.bulkOperation as { id: string }).id;
let op: Record<string, string> = {};
while (op.status !== "COMPLETED") {
  await new Promise((resolve) => setTimeout(resolve, 200));
  op = (await graphql(`{ bulkOperation(id: "${id}") { status objectCount rootObjectCount fileSize url } }`)).data
    .bulkOperation as Record<string, string>;
  if (op.status === "FAILED") throw new Error("bulk operation failed");
}
const bulkMs = performance.now() - started;
started = performance.now();
const download = await fetch(op.url);
let bytes = 0;
const reader = download.body!.getReader();
for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
const downloadMs = performance.now() - started;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(
  JSON.stringify(
    {
      products: seeded,
      seedSeconds: +(seedMs / 1000).toFixed(1),
      heapAfterSeedMb: Math.round(heapMb),
      peakRssMb: Math.round(peakRssMb),
      pageOf250WithVariantsMs: Math.round(pageMs),
      bulk: {
        seconds: +(bulkMs / 1000).toFixed(1),
        objectCount: op.objectCount,
        rootObjectCount: op.rootObjectCount,
        fileSizeMb: +(Number(op.fileSize) / 1e6).toFixed(1),
      },
      downloadSeconds: +(downloadMs / 1000).toFixed(1),
      downloadedBytesMatch: bytes === Number(op.fileSize),
    },
    null,
    2,
  ),
);
await emulator.stop();
