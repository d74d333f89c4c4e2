// `npm run simulate -- [--visitors 500] [--shop DOMAIN]`: sends visitors through the running demo's
// storefront (`npm run demo`): each asks the app for its group, some buy and check out, and the emulator
// fires orders/create. Then open Results in the demo's admin. With a holdout set in Assistant settings,
// both groups fill; see tools/emulator/traffic.ts for what a visitor does.
import { parseArgs } from "node:util";
import { simulateTraffic } from "./emulator/traffic";

const USAGE = `Usage: npm run simulate -- [--visitors N] [--shop DOMAIN] [--emulator URL] [--seed N]
  --visitors  how many visitors (default 500)
  --shop      the demo shop (default trailhead-supply.myshopify.com)
  --emulator  the store emulator (default http://127.0.0.1:3100)
  --seed      the run's seed (default 18): the same seed, the same run`;

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      visitors: { type: "string", default: "500" },
      shop: { type: "string", default: process.env.DEMO_SHOP ?? "trailhead-supply.myshopify.com" },
      emulator: { type: "string", default: `http://127.0.0.1:${process.env.STORE_EMULATOR_PORT ?? 3100}` },
      seed: { type: "string", default: "18" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const visitors = Number(values.visitors);
const seed = Number(values.seed);
if (!Number.isInteger(visitors) || visitors < 1 || visitors > 100_000 || !Number.isInteger(seed)) {
  console.error(`--visitors must be a whole number from 1 to 100000 and --seed a whole number\n${USAGE}`);
  process.exit(2);
}

const control = `${values.emulator}/_emulator/shops/${values.shop}`;
const call = async <T>(path: string, method = "GET"): Promise<T> => {
  const response = await fetch(`${control}${path}`, { method }).catch((error: Error) => {
    throw new Error(
      `The store emulator at ${values.emulator} does not answer (${error.message}): is \`npm run demo\` running?`,
    );
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

try {
  const { url } = await call<{ url: string }>("/storefront", "POST");
  const products = await call<{ status: string; variants: { id: number; inventoryQuantity: number }[] }[]>("/products");
  const variantIds = products
    .filter((product) => product.status === "active")
    .flatMap((product) => product.variants.filter((v) => v.inventoryQuantity > 0).map((v) => v.id));
  const started = performance.now();
  const run = await simulateTraffic({
    storefrontUrl: url,
    visitors,
    seed,
    buyRate: { assistant: 0.06, holdout: 0.04 },
    variantIds,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${visitors} visitors in ${seconds} s: ${run.visitors.assistant} saw the assistant (${run.orders.assistant} orders), ` +
      `${run.visitors.holdout} were held out (${run.orders.holdout} orders). Open Results in the demo's admin.`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
