// The store emulator in its own process for the sync benchmark, so the benchmark's memory figures
// are the app's alone. Prints one JSON line: { url, shops: { [domain]: accessToken } }.
// Usage: tsx tools/bench/sync-emulator-process.ts <secret> <size> [<size>…]
import { startStoreEmulator } from "../emulator/index";
import { sampleCatalog } from "./sync-catalog";

const [secret, ...sizes] = process.argv.slice(2);
const emulator = await startStoreEmulator({
  app: { apiKey: "sync-bench", apiSecret: secret, appUrl: "http://127.0.0.1:9" },
  webhooks: { maxAttempts: 1 },
});
const shops: Record<string, string> = {};
for (const size of sizes.map(Number)) {
  const shop = `bench-${size}.myshopify.com`;
  emulator.createShop(shop);
  emulator.seed(shop, sampleCatalog(size));
  emulator.shop(shop).installation = { scopes: ["read_products"], accessTokens: new Map(), refreshTokens: new Map() };
  shops[shop] = emulator.accessTokenFor(shop);
}
process.stdout.write(JSON.stringify({ url: emulator.url, shops }) + "\n");
process.on("SIGTERM", () => void emulator.stop().then(() => process.exit(0)));
