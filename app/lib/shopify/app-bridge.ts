// App Bridge as Shopify requires it in an embedded app: Shopify's current script from its CDN, the first
// script in the document's head, synchronous (no async/defer), with the app's API key beside it.

/** Shopify's CDN copy, always the current App Bridge (what `@shopify/shopify-app-remix` loads by default). */
export const APP_BRIDGE_CDN_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/** APP_BRIDGE_URL replaces the CDN only where Shopify is not reachable (the offline store emulator). */
export const appBridgeUrl = (override: string | undefined): string => override ?? APP_BRIDGE_CDN_URL;
