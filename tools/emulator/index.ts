// Public entry of the store emulator for tests, benchmarks and the demo (see README.md).
import { StoreEmulator, type StoreEmulatorOptions } from "./store-emulator";

export { StoreEmulator, type StoreEmulatorOptions } from "./store-emulator";
export type { ProductInput, VariantInput, EmulatedProduct, EmulatedVariant } from "./store/model";
export type { WebhookFaults, WebhookDeliveryRecord } from "./webhooks/delivery";
export { webhookHmac } from "./signing/webhook";
export { appProxySignature, appProxyQuery } from "./signing/app-proxy";
export { oauthHmac } from "./signing/oauth-hmac";
export { shopifyJsonLine } from "./admin/jsonl";

/** Absolute path of the preload module that routes the app's Shopify calls here. */
export const FETCH_SEAM_MODULE = new URL("./fetch-seam.mjs", import.meta.url).pathname;

export async function startStoreEmulator(options: StoreEmulatorOptions): Promise<StoreEmulator> {
  const emulator = new StoreEmulator(options);
  await emulator.listen();
  return emulator;
}
