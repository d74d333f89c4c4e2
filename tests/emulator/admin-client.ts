// The real @shopify/shopify-api client in the test process, reaching a store emulator through the same
// fetch seam the app process preloads.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, RequestedTokenType, shopifyApi, type Session } from "@shopify/shopify-api";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import type { StoreEmulator } from "../../tools/emulator";

/** The library configured as the app configures it (validators, clients). */
export function shopifyLibrary() {
  return shopifyApi({
    apiKey: DEMO_APP_CREDENTIALS.apiKey,
    apiSecretKey: DEMO_APP_CREDENTIALS.apiSecret,
    apiVersion: ApiVersion.July26,
    hostName: "127.0.0.1",
    hostScheme: "http",
    isEmbeddedApp: true,
    scopes: ["read_products", "read_customers", "read_orders"],
    logger: { level: 0 },
    future: {},
  });
}

export async function connectShopifyApi(emulator: StoreEmulator) {
  const seam = await import("../../tools/emulator/fetch-seam.mjs");
  seam.pointSeamAt(emulator.url);
  return shopifyLibrary();
}

export type ShopifyApi = Awaited<ReturnType<typeof connectShopifyApi>>;

/** Installs through the real token-exchange call of the library and returns the offline session. */
export async function installWithTokenExchange(
  api: ShopifyApi,
  emulator: StoreEmulator,
  shop: string,
): Promise<Session> {
  const { session } = await api.auth.tokenExchange({
    shop,
    sessionToken: await emulator.signSessionToken(shop),
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
    expiring: true,
  });
  return session;
}
