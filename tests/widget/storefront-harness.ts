// A minimal storefront for the widget's browser tests: it renders the extension's real app embed
// block (Liquid, with the objects Shopify themes provide), serves its real assets, implements the
// Ajax cart (/cart/add.js, /cart.js) and hands /apps/aisle/* to the real storefront endpoint functions.
// A second server plays the app's own origin (/proxy/stream, CORS). The App Proxy signature is not
// re-done here: tests/widget/proxy-routes.test.ts covers it with the real Remix routes; the full
// store emulator (tools/emulator) drives the end-to-end run in tests/e2e/widget.spec.ts.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { Liquid, Tag, type TagToken, type TopLevelToken, type Context, type Emitter } from "liquidjs";
import type { Product } from "../../app/lib/catalog/product";
import { handleCartEvent } from "../../app/lib/storefront/cart-event.server";
import { handleHandoffRequest, type HandoffQueue } from "../../app/lib/storefront/handoff-request.server";
import { handleChatTurn, type StorefrontChatDeps } from "../../app/lib/storefront/chat-turn.server";
import {
  authorizeStream,
  preflight,
  startChatSession,
  type ChatTokenSettings,
} from "../../app/lib/storefront/session.server";
import { freePort } from "../../tools/lib/ports";

const EXTENSION = path.resolve("extensions/chat-widget");

export interface HarnessOptions {
  shop: string;
  products: Product[];
  deps: StorefrontChatDeps;
  moneyFormat: string;
  /** Whether the storefront's origin may stream from the app origin (else the widget uses the proxy). */
  allowAppOrigin: boolean;
  loggedInCustomerId?: string | null;
  /** The handoff queue behind /apps/aisle/handoff (the contact form); absent: 404. */
  handoffs?: HandoffQueue;
}

interface CartLine {
  variant_id: number;
  product_id: number;
  title: string;
  quantity: number;
}

class SchemaTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    // The block's {% schema %} is read by the theme editor, never rendered.
    while (remain.length) {
      const next = remain.shift() as TopLevelToken & { name?: string };
      if (next.name === "endschema") return;
    }
  }
  *render(_ctx: Context, _emitter: Emitter): Generator<unknown, void, unknown> {}
}

function renderBlockSource() {
  const source = readFileSync(path.join(EXTENSION, "blocks/chat-widget.liquid"), "utf8");
  const schema = JSON.parse(/\{% schema %\}([\s\S]*)\{% endschema %\}/.exec(source)?.[1] ?? "{}") as {
    settings: { id: string; default?: string }[];
  };
  const defaults = Object.fromEntries(schema.settings.map((s) => [s.id, s.default ?? ""]));
  return { source, defaults };
}

function translations(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EXTENSION, "locales/en.default.json"), "utf8")) as Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const body =
    req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return res.end();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value); // each SSE frame leaves at once: the browser sees the stream as it is made
  }
  res.end();
}

export interface RunningHarness {
  storefrontUrl: string;
  appUrl: string;
  cart: CartLine[];
  /** What `/cart/update.js` set (the widget's attribution attributes). */
  cartAttributes: Record<string, string>;
  /** Requests seen per path, on either server. */
  hits: Map<string, number>;
  stop(): Promise<void>;
}

export async function startStorefrontHarness(options: HarnessOptions): Promise<RunningHarness> {
  const [storePort, appPort] = [await freePort(), await freePort()];
  const storefrontUrl = `http://127.0.0.1:${storePort}`;
  const appUrl = `http://127.0.0.1:${appPort}`;
  const cart: CartLine[] = [];
  const cartAttributes: Record<string, string> = {};
  const hits = new Map<string, number>();
  const hit = (key: string) => hits.set(key, (hits.get(key) ?? 0) + 1);
  const tokenSettings: ChatTokenSettings = {
    secret: "harness-secret",
    ttlSeconds: 600,
    storefrontOrigins: options.allowAppOrigin ? [storefrontUrl] : [],
    streamUrl: `${appUrl}/proxy/stream`,
  };
  const shopper = () => ({ shop: options.shop, customerId: options.loggedInCustomerId ?? null });

  const liquid = new Liquid();
  liquid.registerTag("schema", SchemaTag);
  const locale = translations();
  liquid.registerFilter("t", (key: string, ...args: unknown[]) => {
    const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], locale);
    let text = typeof value === "string" ? value : `translation missing: en.${key}`;
    for (const arg of args) {
      if (Array.isArray(arg)) text = text.replace(new RegExp(`\\{\\{\\s*${arg[0]}\\s*\\}\\}`, "g"), String(arg[1]));
    }
    return text;
  });
  liquid.registerFilter("asset_url", (file: string) => `${storefrontUrl}/cdn/aisle/${file}`);
  const { source, defaults } = renderBlockSource();
  const variants = new Map(
    options.products.flatMap((product) =>
      product.variants.map((variant) => [Number(variant.id.split("/").pop()), { product, variant }] as const),
    ),
  );

  const storefront = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", storefrontUrl);
      hit(url.pathname);
      if (url.pathname.startsWith("/cdn/aisle/")) {
        const file = path.join(EXTENSION, "assets", path.basename(url.pathname));
        const type = file.endsWith(".css") ? "text/css" : "text/javascript";
        res.writeHead(200, { "content-type": `${type}; charset=utf-8` });
        return res.end(readFileSync(file));
      }
      if (url.pathname === "/cart/add.js" && req.method === "POST") {
        const body = JSON.parse((await readBody(req)).toString("utf8")) as {
          items: { id: number; quantity: number }[];
        };
        const added: CartLine[] = [];
        for (const item of body.items) {
          const found = variants.get(Number(item.id));
          if (!found || !found.variant.availableForSale) {
            res.writeHead(422, { "content-type": "application/json" });
            return res.end(JSON.stringify({ status: 422, message: "Cart Error", description: "Sold out" }));
          }
          const line = cart.find((l) => l.variant_id === Number(item.id));
          if (line) line.quantity += item.quantity;
          else
            cart.push({
              variant_id: Number(item.id),
              product_id: Number(found.product.id.split("/").pop()),
              title: found.product.title,
              quantity: item.quantity,
            });
          added.push(cart.find((l) => l.variant_id === Number(item.id)) as CartLine);
        }
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ items: added }));
      }
      if (url.pathname === "/cart/update.js" && req.method === "POST") {
        const body = JSON.parse((await readBody(req)).toString("utf8")) as { attributes?: Record<string, string> };
        Object.assign(cartAttributes, body.attributes ?? {});
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ attributes: cartAttributes, items: cart }));
      }
      if (url.pathname === "/cart.js") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({ item_count: cart.reduce((n, l) => n + l.quantity, 0), items: cart, currency: "GBP" }),
        );
      }
      if (url.pathname.startsWith("/apps/aisle/")) {
        const request = await toRequest(req, storefrontUrl);
        const route = url.pathname.slice("/apps/aisle/".length);
        if (route === "session") {
          return send(res, Response.json(await startChatSession(tokenSettings, options.deps, shopper(), request)));
        }
        const client = { via: "app-proxy" as const, socketAddress: req.socket.remoteAddress };
        if (route === "chat") return send(res, await handleChatTurn(options.deps, { ...shopper(), request, client }));
        if (route === "cart-event")
          return send(res, await handleCartEvent(options.deps, { shop: options.shop, request, client }));
        if (route === "handoff" && options.handoffs)
          return send(
            res,
            await handleHandoffRequest(
              { ...options.deps, handoffs: options.handoffs },
              { ...shopper(), request, client },
            ),
          );
      }
      if (url.pathname === "/" || url.pathname.startsWith("/products/")) {
        const count = cart.reduce((n, l) => n + l.quantity, 0);
        const block = await liquid.parseAndRender(source, {
          block: { id: "aisle-embed", settings: defaults },
          shop: { permanent_domain: options.shop, money_format: options.moneyFormat },
          request: { locale: { iso_code: "en" } },
          cart: { item_count: count, currency: { iso_code: "GBP" } },
          customer: options.loggedInCustomerId ? { id: options.loggedInCustomerId } : null,
        });
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness store</title>
<style>
  /* A theme with greedy rules: none of them may reach the widget. */
  body { font-family: Georgia, serif; color: rgb(120, 0, 0); margin: 0; }
  button { background: rgb(255, 105, 180) !important; font-size: 30px !important; }
  p { color: rgb(0, 128, 0); }
  .aisle-launcher, .aisle-panel { display: none !important; }
</style></head>
<body><header><a href="/">Harness store</a> <a href="/cart">Cart (<span data-cart-count>${count}</span>)</a></header>
<main><h1>${url.pathname === "/" ? "Welcome" : "A product page"}</h1><p class="theme-text">Theme paragraph.</p></main>
${block}</body></html>`);
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });

  const app = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", appUrl);
      hit(`app:${url.pathname}:${req.method}`);
      const request = await toRequest(req, appUrl);
      if (url.pathname !== "/proxy/stream") return res.writeHead(404).end();
      // The harness's shop is always installed and has no primary domain beyond its settings.
      const shops = { isInstalled: async () => true, knownOrigins: async () => [] };
      if (req.method === "OPTIONS") return send(res, await preflight(tokenSettings, shops, request));
      const authorized = await authorizeStream(tokenSettings, shops, request);
      if (authorized instanceof Response) return send(res, authorized);
      return send(
        res,
        await handleChatTurn(options.deps, {
          shop: authorized.claims.shop,
          customerId: authorized.claims.customerId,
          fixedVisitorId: authorized.claims.visitorId,
          request,
          client: { via: "direct", socketAddress: req.socket.remoteAddress },
          headers: authorized.cors,
        }),
      );
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });

  await Promise.all([listen(storefront, storePort), listen(app, appPort)]);
  return {
    storefrontUrl,
    appUrl,
    cart,
    cartAttributes,
    hits,
    async stop() {
      await Promise.all([close(storefront), close(app)]);
    },
  };
}

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
