// One emulated shop's storefront on its own origin (so /apps/<subpath>/* and /cart.js sit at the root,
// as on a real shop): a minimal theme (home, product, collection, cart, search) rendering the app's real theme app
// extension embed blocks, the Ajax Cart API, a fake customer login, and the signed App Proxy.
import { existsSync } from "node:fs";
import http, { type Server } from "node:http";
import path from "node:path";
import express, { type Request, type Response } from "express";
import type { AppConfig } from "../app-config";
import type { EmulatedCustomer, EmulatedProduct } from "../store/model";
import type { ShopStore } from "../store/shop-store";
import { appProxyQuery } from "../signing/app-proxy";
import { HOP_BY_HOP_HEADERS } from "../http-hop-by-hop";
import { createLiquid, loadThemeExtension, renderEmbeds, type ThemeExtension } from "./theme-extension";
import { CartStore, cartJson, lineItemJson, CartError } from "./cart";
import { escapeHtml, layout, moneyFormat, formatMoneyCents } from "./theme-pages";

export interface StorefrontOptions {
  /** Where the App Proxy forwards to and the secret it signs with. */
  app: Pick<AppConfig, "appUrl" | "apiSecret" | "proxy">;
  store: ShopStore;
  port?: number;
  /** Theme app extension directories whose embeds are rendered (default: extensions/chat-widget if present). */
  extensionDirs?: string[];
  /** Setting overrides per block handle (what a merchant sets in the theme editor). */
  blockSettings?: Record<string, Record<string, unknown>>;
  /** Turns a checked-out cart into an order (the store emulator's placeOrder); without it there is no checkout. */
  checkout?: (cart: {
    customerId?: number;
    lines: { variantId: number; quantity: number }[];
    attributes: Record<string, string>;
    cartToken: string;
  }) => { number: number; token: string };
}

export interface RunningStorefront {
  url: string;
  stop(): Promise<void>;
}

const CUSTOMER_COOKIE = "emulated_customer_id";
const CART_COOKIE = "cart";

function cookies(req: Request): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .filter(([key]) => key)
      .map(([key, ...rest]) => [key, decodeURIComponent(rest.join("="))]),
  );
}

export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const { app: appConfig, store } = options;
  const extensionDirs =
    options.extensionDirs ?? (existsSync("extensions/chat-widget/blocks") ? ["extensions/chat-widget"] : []);
  const extensions: ThemeExtension[] = extensionDirs.map((dir) => loadThemeExtension(path.resolve(dir)));
  const liquid = createLiquid();
  const carts = new CartStore(store);
  const app = express();
  app.disable("x-powered-by");

  const customerOf = (req: Request): EmulatedCustomer | undefined => {
    const id = Number(cookies(req)[CUSTOMER_COOKIE]);
    return Number.isFinite(id) ? store.customers.get(id) : undefined;
  };
  const cartOf = (req: Request, res: Response) => {
    let token = cookies(req)[CART_COOKIE];
    if (!token || !carts.has(token)) {
      token = carts.create();
      res.append("Set-Cookie", `${CART_COOKIE}=${token}; Path=/; SameSite=Lax`);
    }
    return token;
  };
  const locale = (req: Request) => (typeof req.query.locale === "string" ? req.query.locale : "en");

  async function page(req: Request, res: Response, title: string, main: string) {
    const customer = customerOf(req);
    const cart = cartJson(carts.get(cartOf(req, res)), store);
    const globals = {
      shop: {
        name: store.name,
        permanent_domain: store.domain,
        domain: store.domain,
        url: `https://${store.domain}`,
        currency: store.currency,
        money_format: moneyFormat(store.currency),
        locale: locale(req),
      },
      customer: customer
        ? {
            id: customer.id,
            email: customer.email,
            first_name: customer.firstName,
            last_name: customer.lastName,
            name: `${customer.firstName} ${customer.lastName}`,
          }
        : null,
      request: {
        locale: { iso_code: locale(req), primary: locale(req) === "en" },
        path: req.path,
        host: req.get("host"),
        design_mode: false,
      },
      cart: { ...cart, currency: { iso_code: store.currency } },
    };
    const embeds = { head: "", body: "" };
    for (const extension of extensions) {
      const rendered = await renderEmbeds(liquid, extension, globals, locale(req), options.blockSettings);
      embeds.head += rendered.head;
      embeds.body += rendered.body;
    }
    res.type("html").send(layout({ shopName: store.name, title, main, customer, itemCount: cart.item_count, embeds }));
  }

  const productCard = (p: EmulatedProduct) => {
    const price = formatMoneyCents(Math.round(Number(p.variants[0]?.price ?? 0) * 100), store.currency);
    const image = p.images[0]
      ? `<img src="${escapeHtml(p.images[0].src)}" alt="${escapeHtml(p.images[0].alt ?? p.title)}" loading="lazy">`
      : "";
    return `<li class="card"><a href="/products/${escapeHtml(p.handle)}">${image}<span class="card-title">${escapeHtml(p.title)}</span></a><span class="price">${price}</span></li>`;
  };
  const visible = (p: EmulatedProduct) => p.status === "active" && p.publishedAt !== null;

  app.get("/", (req, res, next) => {
    const items: EmulatedProduct[] = [];
    for (const id of store.productOrder) {
      const product = store.products.get(id)!;
      if (visible(product)) items.push(product);
      if (items.length >= 24) break;
    }
    page(
      req,
      res,
      store.name,
      `<h1>${escapeHtml(store.name)}</h1><ul class="grid">${items.map(productCard).join("")}</ul>`,
    ).catch(next);
  });

  // A collection page (smart collections by product type): the third page type Shopify's Lighthouse rule weighs.
  app.get("/collections/:handle", (req, res, next) => {
    const collection = store.collections.find((c) => c.handle === req.params.handle);
    if (!collection) {
      res.status(404);
      page(req, res, "Not found", "<h1>404 Page not found</h1>").catch(next);
      return;
    }
    const items = store.collectionProducts(collection).filter(visible).slice(0, 24);
    page(
      req,
      res,
      collection.title,
      `<h1>${escapeHtml(collection.title)}</h1><ul class="grid">${items.map(productCard).join("")}</ul>`,
    ).catch(next);
  });

  app.get("/search", (req, res, next) => {
    const q = String(req.query.q ?? "").toLowerCase();
    const items = q
      ? store.productOrder
          .map((id) => store.products.get(id)!)
          .filter((p) => visible(p) && p.title.toLowerCase().includes(q))
          .slice(0, 48)
      : [];
    page(
      req,
      res,
      `Search: ${q}`,
      `<h1>Search</h1><form action="/search"><input name="q" value="${escapeHtml(q)}"></form><ul class="grid">${items.map(productCard).join("")}</ul>`,
    ).catch(next);
  });

  app.get("/products/:handle", (req, res, next) => {
    const product = store.productByHandle(req.params.handle);
    if (!product || !visible(product)) {
      res.status(404);
      page(req, res, "Not found", "<h1>404 Page not found</h1>").catch(next);
      return;
    }
    const options = product.variants
      .map((v) => {
        const available = v.inventoryManagement === null || v.inventoryPolicy === "continue" || v.inventoryQuantity > 0;
        return `<option value="${v.id}"${available ? "" : " disabled"}>${escapeHtml(v.title)} – ${formatMoneyCents(Math.round(Number(v.price) * 100), store.currency)}${available ? "" : " (sold out)"}</option>`;
      })
      .join("");
    const main = `<article class="product"><h1>${escapeHtml(product.title)}</h1><p class="vendor">${escapeHtml(product.vendor)}</p>
${product.images.map((image) => `<img src="${escapeHtml(image.src)}" alt="${escapeHtml(image.alt ?? "")}">`).join("")}
<form action="/cart/add" method="post"><select name="id">${options}</select><input type="number" name="quantity" value="1" min="1"><button type="submit">Add to cart</button></form>
<div class="description">${product.bodyHtml}</div></article>`;
    page(req, res, product.title, main).catch(next);
  });

  // ---- Online Store content: the shop's policies and pages, rendered as a theme does -----------
  const notFound = (req: Request, res: Response, next: (error: unknown) => void) => {
    res.status(404);
    page(req, res, "Not found", "<h1>404 Page not found</h1>").catch(next);
  };
  app.get("/policies/:handle", (req, res, next) => {
    const policy = store.content.policyByHandle(req.params.handle);
    if (!policy) return notFound(req, res, next);
    const main = `<article class="policy"><h1>${escapeHtml(policy.title)}</h1><div class="rte">${policy.bodyHtml}</div></article>`;
    page(req, res, policy.title, main).catch(next);
  });
  app.get("/pages/:handle", (req, res, next) => {
    const content = store.content.pageByHandle(req.params.handle);
    if (!content || content.publishedAt === null) return notFound(req, res, next);
    const main = `<article class="page"><h1>${escapeHtml(content.title)}</h1><div class="rte">${content.bodyHtml}</div></article>`;
    page(req, res, content.title, main).catch(next);
  });

  app.get("/cart", (req, res, next) => {
    const cart = cartJson(carts.get(cartOf(req, res)), store);
    const rows = cart.items
      .map(
        (item) =>
          `<li>${escapeHtml(item.title)} × ${item.quantity} — ${formatMoneyCents(item.line_price, store.currency)}</li>`,
      )
      .join("");
    const checkout =
      options.checkout && cart.items.length
        ? `<form method="post" action="/checkout"><button type="submit">Check out</button></form>`
        : "";
    page(
      req,
      res,
      "Cart",
      `<h1>Your cart</h1><ul>${rows || "<li>Your cart is empty</li>"}</ul><p>Total: ${formatMoneyCents(cart.total_price, store.currency)}</p>${checkout}`,
    ).catch(next);
  });

  // ---- checkout: the cart becomes an order carrying its attributes (orders/create) -------------
  const placedOrders = new Map<string, number>();
  app.post("/checkout", (req, res, next) => {
    if (!options.checkout) return res.status(404).type("text").send("This storefront has no checkout");
    const token = cartOf(req, res);
    const cart = carts.get(token);
    if (!cart.lines.length) return res.redirect(303, "/cart");
    try {
      const order = options.checkout({
        customerId: customerOf(req)?.id,
        lines: [...cart.lines].reverse().map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
        attributes: { ...cart.attributes },
        cartToken: token,
      });
      carts.remove(token);
      placedOrders.set(order.token, order.number);
      res.redirect(303, `/checkouts/thank-you/${order.token}`);
    } catch (error) {
      res.status(422);
      page(req, res, "Checkout", `<h1>Checkout failed</h1><p>${escapeHtml((error as Error).message)}</p>`).catch(next);
    }
  });
  app.get("/checkouts/thank-you/:token", (req, res, next) => {
    const number = placedOrders.get(req.params.token);
    if (number === undefined) return res.status(404).type("text").send("No such order");
    page(req, res, "Thank you", `<h1>Thank you for your order</h1><p data-order-number>Order #${number}</p>`).catch(
      next,
    );
  });

  // ---- Ajax Cart API -------------------------------------------------------------------------
  const cartError = (res: Response, error: unknown) => {
    if (error instanceof CartError)
      res.status(error.status).json({ status: error.status, message: "Cart Error", description: error.message });
    else throw error;
  };
  const addParser = [express.json(), express.urlencoded({ extended: true })];
  app.get("/cart.js", (req, res) => {
    res.json(cartJson(carts.get(cartOf(req, res)), store));
  });
  app.post(["/cart/add.js", "/cart/add"], ...addParser, (req, res) => {
    const token = cartOf(req, res);
    const body = req.body as {
      id?: unknown;
      quantity?: unknown;
      items?: { id: unknown; quantity?: unknown; properties?: Record<string, string> }[];
    };
    try {
      const requested = body.items ?? [{ id: body.id, quantity: body.quantity }];
      const lines = carts.add(
        token,
        requested.map((item) => ({
          id: Number(item.id),
          quantity: item.quantity === undefined ? 1 : Number(item.quantity),
          properties: "properties" in item ? item.properties : undefined,
        })),
      );
      if (req.path === "/cart/add") return res.redirect(303, "/cart");
      const json = lines.map((line) => lineItemJson(line, store));
      res.json(body.items ? { items: json } : json[0]);
    } catch (error) {
      cartError(res, error);
    }
  });
  app.post("/cart/change.js", ...addParser, (req, res) => {
    const token = cartOf(req, res);
    const body = req.body as { id?: unknown; line?: unknown; quantity?: unknown };
    try {
      carts.change(token, {
        id: body.id === undefined ? undefined : String(body.id),
        line: body.line === undefined ? undefined : Number(body.line),
        quantity: Number(body.quantity),
      });
      res.json(cartJson(carts.get(token), store));
    } catch (error) {
      cartError(res, error);
    }
  });
  app.post("/cart/update.js", ...addParser, (req, res) => {
    const token = cartOf(req, res);
    const body = req.body as { attributes?: unknown; note?: unknown; updates?: unknown };
    const isRecord = (value: unknown): value is Record<string, unknown> =>
      typeof value === "object" && value !== null && !Array.isArray(value);
    if (
      (body.attributes !== undefined && !isRecord(body.attributes)) ||
      (body.updates !== undefined && !isRecord(body.updates))
    )
      return cartError(res, new CartError(422, "attributes and updates must be objects"));
    try {
      carts.update(token, {
        attributes: body.attributes as Record<string, unknown> | undefined,
        note: body.note,
        updates: body.updates as Record<string, unknown> | undefined,
      });
      res.json(cartJson(carts.get(token), store));
    } catch (error) {
      cartError(res, error);
    }
  });
  app.post("/cart/clear.js", (req, res) => {
    const token = cartOf(req, res);
    carts.clear(token);
    res.json(cartJson(carts.get(token), store));
  });

  // ---- fake customer accounts ------------------------------------------------------------------
  app.get("/account/login", (req, res, next) => {
    const list = [...store.customers.values()]
      .map(
        (c) =>
          `<li><form method="post" action="/account/login"><input type="hidden" name="customer_id" value="${c.id}"><button type="submit">Log in as ${escapeHtml(c.firstName)} ${escapeHtml(c.lastName)} (${escapeHtml(c.email)})</button></form></li>`,
      )
      .join("");
    page(
      req,
      res,
      "Log in",
      `<h1>Log in</h1><p>Emulated store: pick a customer (no password).</p><ul>${list || "<li>This shop has no customers.</li>"}</ul>`,
    ).catch(next);
  });
  app.post("/account/login", express.urlencoded({ extended: false }), (req, res) => {
    const id = Number((req.body as { customer_id?: string }).customer_id);
    if (!store.customers.has(id)) return res.status(422).type("text").send("Unknown customer");
    res.append("Set-Cookie", `${CUSTOMER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    res.redirect(303, "/");
  });
  app.all("/account/logout", (req, res) => {
    res.append("Set-Cookie", `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0`);
    res.redirect(303, "/");
  });

  // ---- theme app extension assets ------------------------------------------------------------
  for (const extension of extensions)
    app.use(extension.assetBase, express.static(path.join(extension.dir, "assets"), { fallthrough: false }));

  // ---- App Proxy -----------------------------------------------------------------------------
  const proxy = appConfig.proxy;
  if (proxy) {
    const prefix = `/${proxy.prefix}/${proxy.subpath}`;
    app.all([prefix, `${prefix}/*`], (req, res) => {
      const url = new URL(req.originalUrl, "http://storefront.invalid");
      const rest = url.pathname.slice(prefix.length);
      const customer = customerOf(req);
      const params = appProxyQuery(
        url.searchParams,
        {
          shop: store.domain,
          loggedInCustomerId: customer ? String(customer.id) : "",
          pathPrefix: prefix,
          timestamp: Math.floor(Date.now() / 1000),
        },
        appConfig.apiSecret,
      );
      const target = new URL(`${appConfig.appUrl}${proxy.path}${rest}?${params}`);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (
          typeof value === "string" &&
          !HOP_BY_HOP_HEADERS.has(key) &&
          key !== "set-cookie" &&
          key !== "cookie" &&
          key !== "host"
        )
          headers[key] = value;
      }
      headers["x-forwarded-for"] = req.socket.remoteAddress ?? "127.0.0.1";
      headers["x-forwarded-host"] = store.domain;
      const upstream = http.request(target, { method: req.method, headers }, (answer) => {
        const forwarded: Record<string, string | string[]> = {};
        for (const [key, value] of Object.entries(answer.headers))
          if (value !== undefined && !HOP_BY_HOP_HEADERS.has(key) && key !== "set-cookie") forwarded[key] = value;
        res.writeHead(answer.statusCode ?? 502, forwarded);
        // Streamed through chunk by chunk (SSE / chunked answers are never buffered).
        res.flushHeaders();
        answer.pipe(res);
      });
      upstream.on("error", () => {
        if (!res.headersSent) res.status(502).type("text").send("The app did not answer (app proxy)");
        else res.end();
      });
      res.on("close", () => upstream.destroy());
      req.pipe(upstream);
    });
  }

  app.use((req, res) => res.status(404).type("text").send("Not Found"));
  app.use((error: Error, _req: Request, res: Response, _next: express.NextFunction) => {
    console.error("[storefront]", error);
    if (!res.headersSent) res.status(500).type("text").send(`Storefront error: ${error.message}`);
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(options.port ?? 0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
