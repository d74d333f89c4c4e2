// P1 (issue 15): a duplicated `shop` or customer id → 4xx and 0 model calls. Shopify signs a repeated
// parameter with its values joined by ",", so a query carrying `logged_in_customer_id` twice verifies
// with the library, which refuses repeats of hmac/shop/signature/timestamp only; the app would then
// act on the first value. The routes refuse every repeated signed parameter before any work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as cartEventAction } from "../../app/routes/proxy.cart-event";
import { action as chatAction } from "../../app/routes/proxy.chat";
import { action as sessionAction } from "../../app/routes/proxy.session";
import { action as streamAction, loader as streamLoader } from "../../app/routes/proxy.stream";
import type { StorefrontChatDeps } from "../../app/lib/storefront/chat-turn.server";
import { storeOfflineSession } from "../kit/installed-shop";
import { createTestApp } from "../kit/test-app";
import { appProxySignature } from "../kit/signed-requests";

const SECRET = "repeated-params-secret-41be";
const APP_URL = "http://127.0.0.1:39941";
const SHOP = "repeated-shop.myshopify.com";
const STOREFRONT = `https://${SHOP}`;

const app = createTestApp({
  SHOPIFY_API_KEY: "repeated-params-app",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: APP_URL,
});
afterAll(() => app.close());

// Every turn that reaches the engine is counted: a refused request must make none.
let engineCalls = 0;
const engine = app.services.storefront.chat.engine;
const counted: StorefrontChatDeps["engine"] = {
  answer(request) {
    engineCalls += 1;
    return engine.answer(request);
  },
};
app.services.storefront.chat.engine = counted;

beforeAll(() => storeOfflineSession(app.services.prisma, SHOP));

/** A proxied POST whose query is `pairs` plus a signature computed the way Shopify computes it. */
function signedWith(route: string, pairs: [string, string][], body: unknown) {
  const query = new URLSearchParams(pairs);
  query.append("timestamp", String(Math.floor(Date.now() / 1000)));
  query.append("signature", appProxySignature(query, SECRET));
  return new Request(`${APP_URL}/proxy/${route}?${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const chatBody = { message: "Do you have rain jackets?", visitorId: "visitor-repeated-1" };
const shopper = (customer: string[]): [string, string][] => [
  ["shop", SHOP],
  ...customer.map((id): [string, string] => ["logged_in_customer_id", id]),
  ["path_prefix", "/apps/aisle"],
];

describe("P1 duplicated shop or customer id → 4xx and 0 model calls", () => {
  it("answers the same request with one customer id (the control: it reaches the engine)", async () => {
    engineCalls = 0;
    const response = await app.call(chatAction, signedWith("chat", shopper(["111"]), chatBody));
    expect(response.status).toBe(200);
    await response.text();
    expect(engineCalls).toBe(1);
  });

  it.each([
    ["a repeated logged_in_customer_id", shopper(["111", "222"])],
    ["a repeated empty logged_in_customer_id", shopper(["", "222"])],
    ["a repeated shop", [["shop", SHOP], ...shopper([""])] as [string, string][]],
    ["a repeated path_prefix", [...shopper([""]), ["path_prefix", "/apps/other"]] as [string, string][]],
  ])("refuses %s with 400 on every proxy route, before any work", async (_name, pairs) => {
    engineCalls = 0;
    for (const [route, handler] of [
      ["chat", chatAction],
      ["session", sessionAction],
      ["cart-event", cartEventAction],
    ] as const) {
      const response = await app.call(handler, signedWith(route, pairs, chatBody));
      expect(response.status, route).toBe(400);
    }
    expect(engineCalls).toBe(0);
  });

  it("refuses a repeated shop on the app-origin stream and its preflight", async () => {
    engineCalls = 0;
    const session = await app.call(
      sessionAction,
      signedWith("session", shopper([""]), { visitorId: "visitor-repeated-1", origin: STOREFRONT }),
    );
    const { stream } = (await session.json()) as { stream: { token: string } };
    const url = `${APP_URL}/proxy/stream?shop=${SHOP}&shop=${SHOP}`;
    const post = await app.call(
      streamAction,
      new Request(url, {
        method: "POST",
        headers: { origin: STOREFRONT, authorization: `Bearer ${stream.token}`, "content-type": "application/json" },
        body: JSON.stringify(chatBody),
      }),
    );
    expect(post.status).toBe(400);
    const preflight = await app.call(
      streamLoader,
      new Request(url, { method: "OPTIONS", headers: { origin: STOREFRONT } }),
    );
    expect(preflight.status).toBe(403);
    expect(engineCalls).toBe(0);
  });
});
