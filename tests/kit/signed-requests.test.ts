// The kit's signed requests are what @shopify/shopify-api itself accepts (webhook validation, App Proxy
// HMAC), and its forgery options make requests the library refuses.
import { describe, expect, it } from "vitest";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { shopifyLibrary } from "../emulator/admin-client";
import { signedProxyRequest, signedWebhookRequest, webhookHmac, type SignedProxyOptions } from "./signed-requests";

const api = shopifyLibrary();
const SECRET = DEMO_APP_CREDENTIALS.apiSecret;
const SHOP = "kit.myshopify.com";
const APP_URL = "http://127.0.0.1:9";

describe("signedWebhookRequest", () => {
  const body = '{"id":9007199254740993123,"title":"Trail jacket"}';
  const validate = async (request: Request) =>
    (await api.webhooks.validate({ rawBody: await request.clone().text(), rawRequest: request })).valid;
  const delivery = (options: { hmac?: string | null; secret?: string; webhookId?: string } = {}) =>
    signedWebhookRequest({ appUrl: APP_URL, secret: SECRET, shop: SHOP, topic: "products/update", body, ...options });

  it("is a POST to /webhooks/<topic> with Shopify's headers, which the library validates", async () => {
    const request = delivery({ webhookId: "kit-1" });
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${APP_URL}/webhooks/products/update`);
    expect(Object.fromEntries(request.headers)).toMatchObject({
      "x-shopify-topic": "products/update",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-webhook-id": "kit-1",
      "x-shopify-hmac-sha256": webhookHmac(body, SECRET),
    });
    expect(await request.clone().text()).toBe(body);
    expect(await validate(request)).toBe(true);
  });

  it("is refused when signed with another secret, given another hmac, or unsigned", async () => {
    expect(await validate(delivery({ secret: "not-the-secret" }))).toBe(false);
    expect(await validate(delivery({ hmac: webhookHmac(`${body} `, SECRET) }))).toBe(false);
    const unsigned = delivery({ hmac: null });
    expect(unsigned.headers.has("x-shopify-hmac-sha256")).toBe(false);
    expect(await validate(unsigned)).toBe(false);
  });
});

describe("signedProxyRequest", () => {
  const validate = (request: Request) =>
    api.utils.validateHmac(Object.fromEntries(new URL(request.url).searchParams) as never, {
      signator: "appProxy",
    });
  const proxied = (options: Partial<SignedProxyOptions>) =>
    signedProxyRequest({ appUrl: APP_URL, path: "/proxy/status", secret: SECRET, shop: SHOP, ...options });

  it("forwards the shopper's query and Shopify's parameters to the app path, signed as the library checks", async () => {
    const request = proxied({
      query: { q: "rain" },
      loggedInCustomerId: "42",
      init: { method: "POST", body: "{}" },
    });
    const url = new URL(request.url);
    expect(request.method).toBe("POST");
    expect(url.pathname).toBe("/proxy/status");
    expect([...url.searchParams.keys()]).toEqual([
      "q",
      "shop",
      "logged_in_customer_id",
      "path_prefix",
      "timestamp",
      "signature",
    ]);
    expect(url.searchParams.get("path_prefix")).toBe("/apps/aisle");
    expect(await validate(request)).toBe(true);
  });

  it("is refused when tampered with after signing", async () => {
    const request = proxied({ tamper: (query) => query.set("logged_in_customer_id", "5") });
    expect(await validate(request)).toBe(false);
  });
});
