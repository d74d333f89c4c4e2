// The embedded admin: a page at <emulator>/store/<handle>/apps/<api key> that frames the app the way
// Shopify admin does (embedded=1, shop, host, id_token, locale, timestamp, hmac), the App Bridge stand-in
// script, and the session-token endpoint the stand-in calls.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Express } from "express";
import type { AppConfig } from "../app-config";
import type { EmulatedShop } from "../emulated-shop";
import { oauthHmac } from "../signing/oauth-hmac";
import { escapeHtml } from "../storefront/theme-pages";

const STAND_IN = path.join(path.dirname(fileURLToPath(import.meta.url)), "app-bridge-stand-in.js");

/** What the embedded admin needs of the emulator (StoreEmulator implements it; no import of it here). */
export interface EmbeddedAdminHost {
  /** The emulator's origin: the admin page, the App Bridge stand-in and session tokens are served there. */
  readonly url: string;
  readonly app: Pick<AppConfig, "apiKey" | "apiSecret" | "appUrl">;
  /** The origin the admin frames the app from. */
  readonly appFrame?: { url: string };
  readonly shops: ReadonlyMap<string, EmulatedShop>;
  shop(domain: string): EmulatedShop;
  hostParam(domain: string): string;
  signSessionToken(domain: string): Promise<string>;
}

/** The URL Shopify admin would frame: the app's path with the admin's signed parameters. */
export async function embeddedAppUrl(
  emulator: EmbeddedAdminHost,
  domain: string,
  appPath = "/app",
  origin = emulator.app.appUrl,
  /** The query of the admin URL (`…/apps/<key>/results?days=7`): Shopify passes it on, signed with the rest. */
  appQuery: Record<string, string> = {},
): Promise<string> {
  const params = new URLSearchParams({
    ...appQuery,
    embedded: "1",
    host: emulator.hostParam(domain),
    id_token: await emulator.signSessionToken(domain),
    locale: "en",
    shop: domain,
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  params.set("hmac", oauthHmac(params, emulator.app.apiSecret));
  return `${origin}${appPath}?${params}`;
}

export function mountEmbeddedAdmin(app: Express, emulator: EmbeddedAdminHost): void {
  app.get("/app-bridge.js", (_req, res) => {
    res
      .type("application/javascript")
      .set("Access-Control-Allow-Origin", "*")
      .send(readFileSync(STAND_IN, "utf8").replace("__EMULATOR_ORIGIN__", emulator.url));
  });

  // Called by the stand-in from the app's origin; Shopify admin would hand the token over postMessage.
  app.get("/session-token", async (req, res) => {
    const shop = String(req.query.shop ?? "");
    res.set("Access-Control-Allow-Origin", "*");
    if (req.query.api_key !== emulator.app.apiKey || !emulator.shops.has(shop)) {
      res.status(404).json({ error: "unknown shop or app" });
      return;
    }
    res.json({ token: await emulator.signSessionToken(shop), expiresIn: 60 });
  });

  app.get(["/store/:handle/apps/:apiKey", "/store/:handle/apps/:apiKey/*"], async (req, res) => {
    const domain = `${req.params.handle}.myshopify.com`;
    if (!emulator.shops.has(domain) || req.params.apiKey !== emulator.app.apiKey) {
      res.status(404).type("text").send("No such shop or app in this emulator");
      return;
    }
    const rest = (req.params as Record<string, string>)[0];
    const appQuery = Object.fromEntries(
      Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
    const src = await embeddedAppUrl(
      emulator,
      domain,
      rest ? `/app/${rest}` : "/app",
      emulator.appFrame!.url,
      appQuery,
    );
    const shop = emulator.shop(domain);
    const storefront = shop.storefront ? (await shop.storefront).url : null;
    res.type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(shop.store.name)} · Admin (emulated)</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; display: grid; grid-template: 48px 1fr / 220px 1fr; height: 100vh; }
  header { grid-column: 1 / 3; background: #1a1a1a; color: #fff; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  nav { background: #ebebeb; padding: 12px; } nav a { display: block; padding: 6px 8px; color: #303030; text-decoration: none; }
  iframe { border: 0; width: 100%; height: 100%; background: #f1f1f1; }
  header a { color: #cfe3ff; }
</style></head>
<body>
<header><strong>${escapeHtml(shop.store.name)}</strong><span>Shopify admin (local emulator)</span>${storefront ? `<a href="${storefront}" target="_blank" rel="noopener">View store</a>` : ""}</header>
<nav aria-label="App navigation"><div id="app-nav"></div></nav>
<iframe name="app-iframe" title="${escapeHtml(emulator.app.apiKey)}" src="${escapeHtml(src)}"></iframe>
<script>
  addEventListener("message", (event) => {
    if (event.data?.type !== "emulator:nav-menu") return;
    const nav = document.getElementById("app-nav");
    nav.replaceChildren(...event.data.links.map((link) => {
      const a = document.createElement("a");
      a.textContent = link.label;
      a.href = location.pathname.replace(/\\/apps\\/([^/]+).*$/, "/apps/$1") + (link.home ? "" : link.href.replace(/^\\/app/, ""));
      return a;
    }));
  });
</script>
</body></html>`);
  });
}
