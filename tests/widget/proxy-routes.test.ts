// The App Proxy routes of the chat, driven in-process with requests signed the way Shopify signs
// proxied requests, verified by @shopify/shopify-app-remix's real `authenticate.public.appProxy`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as cartEventAction } from "../../app/routes/proxy.cart-event";
import { action as chatAction } from "../../app/routes/proxy.chat";
import { action as sessionAction } from "../../app/routes/proxy.session";
import { action as streamAction, loader as streamLoader } from "../../app/routes/proxy.stream";
import { storeOfflineSession } from "../kit/installed-shop";
import { createTestApp } from "../kit/test-app";
import { signedProxyRequest } from "../kit/signed-requests";

const SECRET = "widget-proxy-test-secret-8c1f";
const APP_URL = "http://127.0.0.1:39931";
const SHOP = "widget-shop.myshopify.com";
const STOREFRONT = `https://${SHOP}`;
const LOCAL_STOREFRONT = "http://127.0.0.1:39932";

const routes = {
  chat: chatAction,
  session: sessionAction,
  stream: streamAction,
  streamLoader,
  cartEvent: cartEventAction,
};
const app = createTestApp({
  SHOPIFY_API_KEY: "widget-proxy-test-app",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: APP_URL,
  CHAT_STOREFRONT_ORIGINS: LOCAL_STOREFRONT,
});
const { customers } = app.services;
const call = app.call;
afterAll(() => app.close());

function proxied(
  route: string,
  options: {
    body?: unknown;
    customerId?: string;
    timestamp?: number;
    secret?: string;
    tamper?: (query: URLSearchParams) => void;
    shop?: string;
    unsigned?: boolean;
  } = {},
) {
  return signedProxyRequest({
    appUrl: APP_URL,
    path: `/proxy/${route}`,
    secret: options.secret ?? SECRET,
    shop: options.shop ?? SHOP,
    loggedInCustomerId: options.customerId,
    timestamp: options.timestamp,
    tamper: (query) => {
      if (options.unsigned) query.delete("signature");
      options.tamper?.(query);
    },
    init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(options.body ?? {}) },
  });
}

beforeAll(() => storeOfflineSession(app.services.prisma, SHOP));

describe("App Proxy signature: checked before any work", () => {
  const visitor = { visitorId: "visitor-proxy-1", origin: STOREFRONT };

  it.each([
    ["missing", { unsigned: true }],
    ["signed with another secret", { secret: "not-the-app-secret" }],
    ["stale (two minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 120 }],
    ["future-dated (two minutes ahead)", { timestamp: Math.floor(Date.now() / 1000) + 120 }],
    [
      "valid but with the signed customer id changed afterwards",
      { customerId: "820982911946154508", tamper: (q: URLSearchParams) => q.set("logged_in_customer_id", "5") },
    ],
    [
      "valid but with a customer id added afterwards",
      { tamper: (q: URLSearchParams) => q.set("logged_in_customer_id", "5") },
    ],
    ["valid but for another shop", { tamper: (q: URLSearchParams) => q.set("shop", "other.myshopify.com") }],
  ])("refuses a %s signature with 400", async (_name, options) => {
    for (const handler of [routes.session, routes.chat, routes.cartEvent]) {
      const response = await call(handler, proxied("session", { body: visitor, ...options }));
      expect(response.status).toBe(400);
    }
  });

  it("answers 404 for a shop that has not installed the app", async () => {
    const response = await call(routes.session, proxied("session", { body: visitor, shop: "stranger.myshopify.com" }));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_installed");
  });

  it("answers a verified chat request as server-sent events, with the verified customer only", async () => {
    const response = await call(
      routes.chat,
      proxied("chat", { body: { message: "hi", visitorId: "visitor-proxy-1" }, customerId: "820982911946154508" }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const body = await response.text();
    expect(body).toMatch(/^event: conversation\n/);
    expect(body).toContain("event: done");
    const conversationId = /"id":"([^"]+)"/.exec(body)?.[1] ?? "";
    const stored = await customers.getConversation(SHOP, conversationId);
    expect(stored?.conversation.customerId).toBe("820982911946154508");
  });
});

describe("chat sessions and the app-origin stream", () => {
  async function session(origin: string, customerId?: string) {
    const response = await call(
      routes.session,
      proxied("session", { body: { visitorId: "visitor-stream-1", origin }, customerId }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return (await response.json()) as {
      visitorId: string;
      stream: { url: string; token: string; expiresAt: number } | null;
      customerLoggedIn: boolean;
    };
  }

  const streamPost = (url: string, token: string, origin: string, visitorId: string) =>
    new Request(url, {
      method: "POST",
      headers: { origin, authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "hello", visitorId }),
    });

  it("mints a token for the shop's own storefront and for configured origins, never for others", async () => {
    const own = await session(STOREFRONT);
    expect(own.stream?.url).toBe(`${APP_URL}/proxy/stream?shop=${SHOP}`);
    expect((await session(LOCAL_STOREFRONT)).stream).not.toBeNull();
    expect((await session("https://evil.example")).stream).toBeNull();
    expect((await session(`${STOREFRONT}/path`)).stream).toBeNull();
  });

  it("carries the verified customer only", async () => {
    expect((await session(STOREFRONT, "820982911946154508")).customerLoggedIn).toBe(true);
    expect((await session(STOREFRONT)).customerLoggedIn).toBe(false);
  });

  it("answers the CORS preflight for the shop's storefront origins only, echoing nothing else", async () => {
    const preflight = (origin: string) =>
      call(
        routes.streamLoader,
        new Request(`${APP_URL}/proxy/stream?shop=${SHOP}`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        }),
      );
    const allowed = await preflight(STOREFRONT);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(STOREFRONT);
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const refused = await preflight("https://evil.example");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("accepts the token only from the origin it was minted for, for its shop, for its visitor", async () => {
    const { stream, visitorId } = await session(STOREFRONT);
    if (!stream) throw new Error("expected a stream");
    const fromOwnOrigin = await call(routes.stream, streamPost(stream.url, stream.token, STOREFRONT, visitorId));
    expect(fromOwnOrigin.status).toBe(200);
    expect(fromOwnOrigin.headers.get("content-type")).toContain("text/event-stream");
    expect(fromOwnOrigin.headers.get("access-control-allow-origin")).toBe(STOREFRONT);

    const fromElsewhere = await call(
      routes.stream,
      streamPost(stream.url, stream.token, "https://evil.example", visitorId),
    );
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.headers.get("access-control-allow-origin")).toBeNull();
    const otherShop = await call(
      routes.stream,
      streamPost(`${APP_URL}/proxy/stream?shop=other.myshopify.com`, stream.token, STOREFRONT, visitorId),
    );
    expect(otherShop.status).toBe(403);
    const forged = await call(
      routes.stream,
      streamPost(stream.url, `${stream.token.split(".")[0]}.AAAA`, STOREFRONT, visitorId),
    );
    expect(forged.status).toBe(401);
    const none = await call(
      routes.stream,
      new Request(stream.url, { method: "POST", headers: { origin: STOREFRONT } }),
    );
    expect(none.status).toBe(401);
  });
});

describe("cart events through the proxy", () => {
  it("records an Add to cart in the visitor's conversation", async () => {
    const { visitors } = app.services.storefront.chat;
    const visitorId = visitors.issue(SHOP);
    const conversation = await customers.openConversation({ shop: SHOP, visitorId, customerId: null });
    const body = {
      visitorId,
      conversationId: conversation.id,
      productId: "9001",
      variantId: "90011",
    };
    expect((await call(routes.cartEvent, proxied("cart-event", { body }))).status).toBe(204);
    const stranger = await call(
      routes.cartEvent,
      proxied("cart-event", { body: { ...body, visitorId: visitors.issue(SHOP) } }),
    );
    expect(stranger.status).toBe(404);
    expect((await customers.getConversation(SHOP, conversation.id))?.cartEvents).toHaveLength(1);
  });
});
