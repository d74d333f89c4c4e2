// The app's real modules (in this process) wired to the local store emulator: the app's Shopify
// client reaches the emulator through @shopify/shopify-api's fetch seam, and the emulator's signed
// webhooks reach the app's routes over HTTP (a small server turning them into Remix action calls).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "../../../tools/lib/ports";
import {
  FETCH_SEAM_MODULE,
  startStoreEmulator,
  type StoreEmulator,
  type StoreEmulatorOptions,
} from "../../../tools/emulator/index";
import type { OpenStores, StoreConfiguration } from "../../helpers/store-configurations";
import { loadApp, TEST_SECRET, type LoadedApp } from "./app";

export interface EmulatedShopHarness extends LoadedApp {
  emulator: StoreEmulator;
  /** Webhook statuses the app answered, in arrival order. */
  answered: { topic: string; shop: string; status: number }[];
  stop(): Promise<void>;
}

export async function startEmulatedShop(
  extraEnv: Record<string, string> = {},
  emulatorOptions: Partial<StoreEmulatorOptions> = {},
): Promise<EmulatedShopHarness> {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const emulator = await startStoreEmulator({
    app: { apiKey: "sync-tests-app", apiSecret: TEST_SECRET, appUrl },
    webhooks: { retryBaseMs: 50 },
    ...emulatorOptions,
  });
  const app = loadApp({ SHOPIFY_APP_URL: appUrl, ...extraEnv });
  // After the app's modules: the seam replaces the fetch function their Shopify adapter installed.
  const seam = (await import(/* @vite-ignore */ FETCH_SEAM_MODULE)) as { pointSeamAt(url: string): void };
  seam.pointSeamAt(emulator.url);

  const answered: { topic: string; shop: string; status: number }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const topic = (req.url ?? "").replace(/^\/webhooks\//, "");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(new URL(req.url ?? "/", appUrl), {
      method: req.method,
      headers,
      body: Buffer.concat(chunks),
    });
    let status = 404;
    try {
      if (topic in app.routes) status = (await app.call(app.routes[topic], request)).status;
    } catch {
      status = 500;
    }
    answered.push({ topic, shop: String(req.headers["x-shopify-shop-domain"] ?? ""), status });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  void (server.address() as AddressInfo);

  return {
    ...app,
    emulator,
    answered,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await emulator.stop();
      await app.close();
    },
  };
}

/**
 * Makes the app installed in `domain` without the admin UI: the emulator records the installation
 * (as its token exchange does) and the app stores the offline session that exchange would have.
 */
export async function installShop(harness: EmulatedShopHarness, domain: string) {
  const shop = harness.emulator.shop(domain);
  shop.installation = {
    scopes: ["read_products", "read_customers", "read_orders", "read_legal_policies", "read_online_store_pages"],
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
  const token = harness.emulator.accessTokenFor(domain);
  await harness.install(domain, token);
}

/**
 * For a check module on one store configuration: opens the stores and starts the harness on them before
 * the suite (handing both to `started`), and stops both after it.
 */
export function emulatedShopOn(
  configuration: StoreConfiguration,
  started: (harness: EmulatedShopHarness, stores: OpenStores) => void,
  emulatorOptions: Partial<StoreEmulatorOptions> = {},
) {
  let harness: EmulatedShopHarness | undefined;
  let stores: OpenStores | undefined;
  beforeAll(async () => {
    stores = await configuration.open();
    harness = await startEmulatedShop(stores.env, emulatorOptions);
    started(harness, stores);
  }, 60_000);
  afterAll(async () => {
    await harness?.stop();
    await stores?.close();
  });
}
