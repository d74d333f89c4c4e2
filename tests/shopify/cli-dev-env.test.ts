// `shopify app dev` starts the app (shopify.web.toml) with the tunnel's URL as HOST and APP_URL, and no
// SHOPIFY_APP_URL. server.mjs must take that URL as the app's public URL and still listen on all interfaces:
// otherwise it would try to listen on "https://…" and refuse to boot without SHOPIFY_APP_URL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "../../tools/stack";
import { freePort } from "../../tools/lib/ports";

const TUNNEL = "https://aisle-dev.trycloudflare.com";
const dataDir = mkdtempSync(path.join(tmpdir(), "aisle-cli-env-"));
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({
    dataDir,
    appPort: await freePort(),
    chromaPort: await freePort(),
    // What the CLI sets for a web process (besides the app's key, secret and scopes).
    env: { SHOPIFY_APP_URL: "", HOST: TUNNEL, APP_URL: TUNNEL, EMBEDDINGS_PROVIDER: "local", LLM_PROVIDER: "none" },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the app under `shopify app dev`", () => {
  it("boots, listens on all interfaces, and uses the tunnel URL as its own", async () => {
    expect(stack.app.output()).toContain("Aisle is listening");
    // A browser's user agent: the library answers bots 410.
    const host = Buffer.from("admin.shopify.com/store/dev-store").toString("base64url");
    const response = await fetch(`${stack.app.url}/app?shop=dev-store.myshopify.com&embedded=1&host=${host}`, {
      redirect: "manual",
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36" },
    });
    // The session-token bounce sends the admin back to the app's own URL.
    const location = new URL(response.headers.get("location") ?? "", stack.app.url);
    expect(location.pathname).toBe("/auth/session-token");
    expect(location.searchParams.get("shopify-reload")).toMatch(new RegExp(`^${TUNNEL}/app\\?`));
  });
});
