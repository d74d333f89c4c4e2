// App Store requirement: an embedded app loads the current App Bridge from Shopify's CDN, as the first
// script in the head of its pages. Checked on the document the built app serves when the admin opens it
// (token exchange against the store emulator), with the production configuration (APP_BRIDGE_URL unset)
// and with the emulator's stand-in that the offline demo and the browser tests use.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { APP_BRIDGE_CDN_URL } from "../../app/lib/shopify/app-bridge";
import { startEmulatedStack, type EmulatedStack } from "../../tools/emulator/emulated-stack";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";

let running: EmulatedStack | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  running = dataDir = undefined;
});

async function start(appBridge: "emulator" | "shopify-cdn") {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-app-bridge-"));
  running = await startEmulatedStack({ dataDir, appBridge });
  return running;
}

/** The admin opening the app: the embedded document, after token exchange. */
async function embeddedDocument(stack: EmulatedStack): Promise<string> {
  const shop = "app-bridge-check.myshopify.com";
  stack.emulator.createShop(shop);
  const { status, body } = await stack.emulator.installApp(shop);
  expect(status).toBe(200);
  return body;
}

/** Every script tag of the document's head, in order, and the document's App Bridge-like scripts anywhere. */
function scripts(html: string) {
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1] ?? "";
  return {
    head: [...head.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]),
    appBridgeAnywhere: [...html.matchAll(/<script\b[^>]*app-bridge[^>]*>/g)].map((match) => match[0]),
  };
}

describe("App Bridge on the embedded app's pages", () => {
  it("production (APP_BRIDGE_URL unset): Shopify's CDN copy, the first script in the head, synchronous, once", async () => {
    const html = await embeddedDocument(await start("shopify-cdn"));
    const { head, appBridgeAnywhere } = scripts(html);
    expect(head[0]).toBe(`<script src="${APP_BRIDGE_CDN_URL}" data-api-key="${DEMO_APP_CREDENTIALS.apiKey}">`);
    expect(APP_BRIDGE_CDN_URL).toBe("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    expect(head[0]).not.toMatch(/\b(async|defer|type="module")\b/);
    expect(appBridgeAnywhere).toHaveLength(1);
  });

  it("APP_BRIDGE_URL (the offline emulator) replaces the CDN copy in the same place; public pages load none", async () => {
    const stack = await start("emulator");
    const html = await embeddedDocument(stack);
    const { head, appBridgeAnywhere } = scripts(html);
    expect(head[0]).toBe(
      `<script src="${stack.emulator.url}/app-bridge.js" data-api-key="${DEMO_APP_CREDENTIALS.apiKey}">`,
    );
    expect(appBridgeAnywhere).toHaveLength(1);
    expect(html).not.toContain("cdn.shopify.com");
    const landing = await (await fetch(`${stack.stack.app.url}/`)).text();
    expect(scripts(landing).appBridgeAnywhere).toEqual([]);
  });
});
