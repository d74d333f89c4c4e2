// Preload for the app process (`node --import ./tools/emulator/fetch-seam.mjs server.mjs`): routes the
// Shopify calls of @shopify/shopify-api (https://<shop>.myshopify.com/...) to the local store emulator
// named by SHOPIFY_EMULATOR_URL, through the library's one fetch seam. Every other URL is left alone.
//
// Order matters: the app's server bundle imports @shopify/shopify-api/adapters/web-api, whose module
// body calls setAbstractFetchFunc(fetch). Importing that adapter here first makes its body run now;
// ES modules evaluate once, so when the app imports it again nothing resets the seam set below.
import "@shopify/shopify-api/adapters/web-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

let configuredUrl;
/** In-process use (tests, benchmarks): the emulator to route to, instead of SHOPIFY_EMULATOR_URL. */
export function pointSeamAt(url) {
  configuredUrl = url;
}

// Read per call, so a test process can load the seam before its emulator has a port.
function emulatorOrigin() {
  const emulatorUrl = configuredUrl ?? process.env.SHOPIFY_EMULATOR_URL;
  if (!emulatorUrl) throw new Error("fetch-seam.mjs needs SHOPIFY_EMULATOR_URL (the store emulator's address)");
  return new URL(emulatorUrl);
}

/** https://<shop>.myshopify.com/<path> → <emulator>/shops/<shop>/<path>; anything else unchanged. */
export function routeToEmulator(input) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.protocol !== "https:" || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(url.hostname)) return null;
  return new URL(`/shops/${url.hostname}${url.pathname}${url.search}`, emulatorOrigin());
}

const originalFetch = globalThis.fetch;
async function emulatorFetch(input, init) {
  const target = routeToEmulator(input);
  if (!target) return originalFetch(input, init);
  return originalFetch(input instanceof Request ? new Request(target, input) : target, init);
}
setAbstractFetchFunc(emulatorFetch);
globalThis.__shopifyEmulatorFetch = emulatorFetch;
