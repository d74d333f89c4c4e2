// The storefront origin: the theme app extension's embed block rendered with Liquid, its assets, the
// Ajax Cart API, the fake customer login, and the App Proxy (signed as documented, streamed through).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { shopifyLibrary } from "./admin-client";

const SHOP = "storefront.myshopify.com";
const api = shopifyLibrary();

let emulator: StoreEmulator;
let storefront: string;
let upstream: Server;
/** What the fake app saw for each proxied request. */
const seen: { url: URL; valid: boolean; method: string; body: string; cookie?: string }[] = [];

beforeAll(async () => {
  // Stands in for the app's /proxy/* routes: verifies with the library, then streams slowly.
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url!, "http://app.invalid");
      const valid = await api.utils
        .validateHmac(url.searchParams as never, { signator: "appProxy" })
        .catch(() => false);
      seen.push({
        url,
        valid,
        method: req.method!,
        body: Buffer.concat(chunks).toString(),
        cookie: req.headers.cookie,
      });
      if (url.pathname === "/proxy/stream") {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Set-Cookie": "leak=1" });
        res.write("data: first\n\n");
        setTimeout(() => res.end("data: last\n\n"), 400);
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": "leak=1" });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  emulator = await startStoreEmulator({
    app: { ...DEMO_APP_CREDENTIALS, appUrl: `http://127.0.0.1:${(upstream.address() as { port: number }).port}` },
  });
  emulator.createShop(SHOP, { name: "Probe & Co" });
  emulator.seed(SHOP, [
    {
      title: "Rain Shell",
      productType: "Jackets",
      options: ["Size"],
      variants: [
        { optionValues: ["S"], price: "89.00", sku: "RS-S", inventoryQuantity: 2 },
        { optionValues: ["M"], price: "89.00", sku: "RS-M", inventoryQuantity: 0 },
      ],
    },
    { title: "Hidden Draft", productType: "Jackets", status: "draft", variants: [{ price: "1.00" }] },
    { title: "Trail Mug", productType: "Mugs", variants: [{ price: "12.00" }] },
  ]);
  emulator.shop(SHOP).store.createCustomer({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.test" });
  storefront = (await emulator.storefront(SHOP, { extensionDirs: ["tools/emulator/fixtures/theme-extension"] })).url;
});

afterAll(async () => {
  await emulator?.stop();
  upstream?.close();
});

/** A tiny cookie jar: fetch with the storefront's cookies. */
function browser() {
  const jar = new Map<string, string>();
  return async (pathname: string, init: RequestInit = {}) => {
    const response = await fetch(`${storefront}${pathname}`, {
      redirect: "manual",
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [key, value] = pair.split("=");
      if (/Max-Age=0/.test(cookie)) jar.delete(key);
      else jar.set(key, value);
    }
    return response;
  };
}

const variants = () => [...emulator.shop(SHOP).store.allVariants()];

describe("theme page", () => {
  it("has a page per collection: its shown products and the embed; an unknown collection is a 404", async () => {
    const jackets = emulator.shop(SHOP).store.collections.find((c) => c.productType === "Jackets")!;
    const html = await (await fetch(`${storefront}/collections/${jackets.handle}`)).text();
    expect(html).toContain(`<h1>${jackets.title}</h1>`);
    expect(html).toContain("Rain Shell");
    expect(html).not.toContain("Hidden Draft");
    expect(html).not.toContain("Trail Mug");
    expect(html).toContain('id="probe-config"');
    expect((await fetch(`${storefront}/collections/no-such-collection`)).status).toBe(404);
  });

  it("renders the extension's embed block with schema defaults, asset_url, t and a script-safe json", async () => {
    const html = await (await fetch(`${storefront}/`)).text();
    expect(html).toContain('data-greeting="Hello from Probe &amp; Co"');
    expect(html).toContain('data-color="#123456"');
    const config = JSON.parse(/<script type="application\/json" id="probe-config">([\s\S]*?)<\/script>/.exec(html)![1]);
    expect(config).toEqual({
      shop: SHOP,
      locale: "en",
      customer: null,
      cartCount: 0,
      tricky: "</script><b>&",
      script: "/extensions/theme-extension/assets/probe.js",
    });
    expect(html).toContain("Rain Shell");
    expect(html).not.toContain("Hidden Draft");
    const asset = await fetch(`${storefront}${config.script}`);
    expect(await asset.text()).toContain("probeLoaded");
    const french = await (await fetch(`${storefront}/?locale=fr`)).text();
    expect(french).toContain("Bonjour de Probe &amp; Co");
  });
});

describe("Ajax Cart API", () => {
  it("adds, reads and changes lines in cents, and refuses sold-out or unknown variants without changing the cart", async () => {
    const get = browser();
    const [small, medium] = variants();
    const added = await get("/cart/add.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: small.id, quantity: 1 }),
    });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({
      id: small.id,
      quantity: 1,
      price: 8900,
      title: "Rain Shell - S",
      sku: "RS-S",
    });

    const soldOut = await get("/cart/add.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        items: [
          { id: small.id, quantity: 1 },
          { id: medium.id, quantity: 1 },
        ],
      }),
    });
    expect(soldOut.status).toBe(422);
    expect(await soldOut.json()).toEqual({
      status: 422,
      message: "Cart Error",
      description: "The product 'Rain Shell' is already sold out.",
    });
    const unknown = await get("/cart/add.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"id": 1}',
    });
    expect(unknown.status).toBe(404);

    const cart = await (await get("/cart.js")).json();
    expect(cart).toMatchObject({ item_count: 1, total_price: 8900, currency: "USD" });
    const changed = await get("/cart/change.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ line: 1, quantity: 2 }),
    });
    expect(await changed.json()).toMatchObject({ item_count: 2, total_price: 17800 });
  });
});

describe("app proxy", () => {
  it("forwards /apps/aisle/* to the app's proxy path with a signature the library accepts, keeping the shopper's query", async () => {
    const response = await fetch(`${storefront}/apps/aisle/status?q=rain&q=shell`);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("set-cookie")).toBeNull();
    const request = seen.at(-1)!;
    expect(request.valid).toBe(true);
    expect(request.url.pathname).toBe("/proxy/status");
    expect(request.url.searchParams.getAll("q")).toEqual(["rain", "shell"]);
    expect(Object.fromEntries(request.url.searchParams)).toMatchObject({
      shop: SHOP,
      logged_in_customer_id: "",
      path_prefix: "/apps/aisle",
    });
    // Tampering with any signed parameter breaks the signature.
    const tampered = new URLSearchParams(request.url.searchParams);
    tampered.set("logged_in_customer_id", "1");
    expect(await api.utils.validateHmac(tampered as never, { signator: "appProxy" })).toBe(false);
  });

  it("signs the logged-in customer's id after a fake login, and forgets it on logout; never forwards cookies", async () => {
    const get = browser();
    const customer = [...emulator.shop(SHOP).store.customers.values()][0];
    const login = await get("/account/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `customer_id=${customer.id}`,
    });
    expect(login.status).toBe(303);
    await get("/apps/aisle/status");
    expect(seen.at(-1)!.url.searchParams.get("logged_in_customer_id")).toBe(String(customer.id));
    expect(seen.at(-1)!.cookie).toBeUndefined();
    expect(seen.at(-1)!.valid).toBe(true);
    await get("/account/logout");
    await get("/apps/aisle/status");
    expect(seen.at(-1)!.url.searchParams.get("logged_in_customer_id")).toBe("");
  });

  it("passes POST bodies through and streams the app's answer without buffering it", async () => {
    const started = Date.now();
    const response = await fetch(`${storefront}/apps/aisle/stream`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message: "hello" }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const firstAt = Date.now() - started;
    expect(first).toBe("data: first\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("data: last\n\n");
    // The first event arrived while the app was still holding the stream open (400 ms).
    expect(Date.now() - started - firstAt).toBeGreaterThan(250);
    expect(seen.at(-1)).toMatchObject({ method: "POST", body: '{"message":"hello"}', valid: true });
  });
});
