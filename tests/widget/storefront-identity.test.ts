// Identity for limits (issue 15, item 2; decision 105), through the real routes: App Proxy requests
// signed the way Shopify signs them and verified by @shopify/shopify-app-remix, chat tokens on the
// direct stream, SQLite through Prisma. The visitor id is the server's, the client address is the one
// the trusted proxies wrote (or the socket's), and every limit keys on those.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as cartEventAction } from "../../app/routes/proxy.cart-event";
import { action as chatAction } from "../../app/routes/proxy.chat";
import { action as sessionAction } from "../../app/routes/proxy.session";
import { action as streamAction, loader as streamLoader } from "../../app/routes/proxy.stream";
import { VisitorIds } from "../../app/lib/storefront/signed-visitor-id.server";
import { recordUninstall } from "../../app/lib/sync/shop-lifecycle.server";
import { storeOfflineSession } from "../kit/installed-shop";
import { createTestApp } from "../kit/test-app";
import { signedProxyRequest } from "../kit/signed-requests";
import { readSse } from "./chat-deps";

const SECRET = "storefront-identity-secret-41d2";
const APP_URL = "http://127.0.0.1:39941";
const SHOP_A = "identity-a.myshopify.com";
const SHOP_B = "identity-b.myshopify.com";
const CUSTOM_A = "https://shop-a.example";
const GLOBAL_EXTRA = "http://127.0.0.1:39942";
const IP_LIMIT = 4;
const CART_LIMIT = 3;

const app = createTestApp({
  SHOPIFY_API_KEY: "storefront-identity-app",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: APP_URL,
  // Shop A's custom domain is A's alone; the local storefront is an explicit extra for every shop.
  CHAT_STOREFRONT_ORIGINS: `${SHOP_A}=${CUSTOM_A},${GLOBAL_EXTRA}`,
  CHAT_IP_MESSAGES_PER_WINDOW: String(IP_LIMIT),
  CHAT_VISITOR_MESSAGES_PER_WINDOW: "12",
  CHAT_CART_EVENTS_PER_WINDOW: String(CART_LIMIT),
});
// The app signs visitor ids with a key derived from its secret: this checks them the same way.
const visitors = new VisitorIds(SECRET);
afterAll(() => app.close());
type Call = typeof app.call;
/** As server.mjs calls routes: with the socket's peer (here Shopify's proxy unless the test says). */
const call = (...[handler, request, params, context]: Parameters<Call>) =>
  app.call(handler, request, params, { socketAddress: "35.190.0.10", ...context });
beforeAll(async () => {
  await storeOfflineSession(app.services.prisma, SHOP_A);
  await storeOfflineSession(app.services.prisma, SHOP_B);
});

/** A request as the App Proxy forwards it: signed query, the shopper's address appended to X-Forwarded-For. */
function proxied(route: string, body: unknown, options: { shop?: string; forwardedFor?: string } = {}) {
  return signedProxyRequest({
    appUrl: APP_URL,
    path: `/proxy/${route}`,
    secret: SECRET,
    shop: options.shop ?? SHOP_A,
    init: {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}),
      },
      body: JSON.stringify(body),
    },
  });
}

interface SessionBody {
  visitorId: string;
  stream: { url: string; token: string } | null;
}

async function session(body: { visitorId?: string; origin: string }, shop = SHOP_A): Promise<SessionBody> {
  const response = await call(
    sessionAction,
    proxied("session", body, { shop }),
    {},
    {
      socketAddress: "10.0.0.5",
    },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as SessionBody;
}

const streamPost = (stream: { url: string; token: string }, visitorId: string, headers: Record<string, string> = {}) =>
  new Request(stream.url, {
    method: "POST",
    headers: {
      origin: `https://${SHOP_A}`,
      authorization: `Bearer ${stream.token}`,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify({ message: "hello", visitorId }),
  });

describe("L5 visitor ids are issued and signed by the server", () => {
  it("issues an id on the first session, keeps an issued one, replaces a chosen, tampered or other shop's id", async () => {
    const first = await session({ origin: `https://${SHOP_A}` });
    expect(visitors.verify(SHOP_A, first.visitorId)).toBe(true);
    expect((await session({ visitorId: first.visitorId, origin: `https://${SHOP_A}` })).visitorId).toBe(
      first.visitorId,
    );

    const otherShops = visitors.issue(SHOP_B);
    const otherSecrets = new VisitorIds("not-the-app-secret").issue(SHOP_A);
    const tampered = `${first.visitorId.slice(0, -2)}${first.visitorId.endsWith("AA") ? "BB" : "AA"}`;
    for (const forged of ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", otherShops, otherSecrets, tampered]) {
      const replaced = await session({ visitorId: forged, origin: `https://${SHOP_A}` });
      expect(replaced.visitorId).not.toBe(forged);
      expect(visitors.verify(SHOP_A, replaced.visitorId)).toBe(true);
    }
  });

  it("binds the chat token to the issued id, never the one the client sent", async () => {
    const { stream, visitorId } = await session({ visitorId: "chosen-by-the-client", origin: `https://${SHOP_A}` });
    if (!stream) throw new Error("expected a stream");
    const claims = JSON.parse(Buffer.from(stream.token.split(".")[0], "base64url").toString("utf8")) as {
      visitorId: string;
    };
    expect(claims.visitorId).toBe(visitorId);
    const refused = await call(
      streamAction,
      streamPost(stream, "chosen-by-the-client"),
      {},
      {
        socketAddress: "198.51.100.20",
      },
    );
    expect(refused.status).toBe(403);
  });

  it("answers a chat turn with a chosen id under a new issued id, which the conversation belongs to", async () => {
    const forged = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const response = await call(
      chatAction,
      proxied("chat", { message: "hello", visitorId: forged }, { forwardedFor: "203.0.113.50" }),
    );
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const issued = events[0].data.visitorId as string;
    expect(issued).not.toBe(forged);
    expect(visitors.verify(SHOP_A, issued)).toBe(true);
    const stored = await app.services.customers.getConversation(SHOP_A, events[0].data.id as string);
    expect(stored?.conversation.visitorId).toBe(issued);
  });
});

describe("L5 per-IP limits: the address the proxy saw, whatever ids the client rotates", () => {
  it("caps one address across fresh visitor ids and spoofed X-Forwarded-For entries; other addresses carry on", async () => {
    const statuses: number[] = [];
    let refusal: Response | null = null;
    for (let i = 0; i < IP_LIMIT + 3; i++) {
      // A new issued id every time, and a made-up address in front of the one Shopify's proxy appended.
      const response = await call(
        chatAction,
        proxied(
          "chat",
          { message: "hello", visitorId: visitors.issue(SHOP_A) },
          { forwardedFor: `192.0.2.${i}, 203.0.113.7` },
        ),
      );
      statuses.push(response.status);
      if (response.status === 429) refusal ??= response;
      else await response.text();
    }
    expect(statuses).toEqual([...Array(IP_LIMIT).fill(200), 429, 429, 429]);
    expect(Number(refusal?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refusal?.json()) as { error: { code: string } }).error.code).toBe("ip_rate_limited");
    const elsewhere = await call(
      chatAction,
      proxied("chat", { message: "hello", visitorId: visitors.issue(SHOP_A) }, { forwardedFor: "203.0.113.8" }),
    );
    expect(elsewhere.status).toBe(200);
    await elsewhere.text();
  });

  it("keys the direct stream on the socket's address, not on X-Forwarded-For", async () => {
    const tokens: { stream: { url: string; token: string }; visitorId: string }[] = [];
    for (let i = 0; i < IP_LIMIT + 1; i++) {
      const { stream, visitorId } = await session({ origin: `https://${SHOP_A}` });
      if (!stream) throw new Error("expected a stream");
      tokens.push({ stream, visitorId });
    }
    const statuses: number[] = [];
    for (const [i, { stream, visitorId }] of tokens.entries()) {
      const response = await call(
        streamAction,
        streamPost(stream, visitorId, { "x-forwarded-for": `192.0.2.${i}` }),
        {},
        {
          socketAddress: "198.51.100.77",
        },
      );
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([...Array(IP_LIMIT).fill(200), 429]);
    // The same token from another address is that address's first message.
    const { stream, visitorId } = tokens[IP_LIMIT];
    const other = await call(streamAction, streamPost(stream, visitorId), {}, { socketAddress: "198.51.100.78" });
    expect(other.status).toBe(200);
    await other.text();
  });

  it("keeps no client address in the database (keyed hashes only)", async () => {
    const keys = (await app.services.prisma.chatRateWindow.findMany({ select: { key: true } })).map((row) => row.key);
    expect(keys.some((key) => key.startsWith(`ip:${SHOP_A}:`))).toBe(true);
    expect(keys.join("\n")).not.toMatch(/203\.0\.113|198\.51\.100/);
  });
});

describe("L5 cart events: rate-limited, only for issued ids", () => {
  it("records up to the per-visitor limit, then 429 with Retry-After; a chosen id is refused (404)", async () => {
    const visitorId = visitors.issue(SHOP_A);
    const conversation = await app.services.customers.openConversation({ shop: SHOP_A, visitorId, customerId: null });
    const post = (id: string) =>
      call(
        cartEventAction,
        proxied(
          "cart-event",
          { visitorId: id, conversationId: conversation.id, productId: "9001", variantId: "90011" },
          { forwardedFor: "203.0.113.90" },
        ),
      );
    const statuses: number[] = [];
    for (let i = 0; i < CART_LIMIT + 2; i++) statuses.push((await post(visitorId)).status);
    expect(statuses).toEqual([...Array(CART_LIMIT).fill(204), 429, 429]);
    const refused = await post(visitorId);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post("0f1e2d3c4b5a69788796a5b4c3d2e1f0")).status).toBe(404);
    expect((await app.services.customers.getConversation(SHOP_A, conversation.id))?.cartEvents).toHaveLength(
      CART_LIMIT,
    );
  });
});

describe("chat tokens after uninstall", () => {
  it("stops the direct stream as soon as the shop uninstalls, although the token has not expired", async () => {
    const shop = "identity-uninstalls.myshopify.com";
    await storeOfflineSession(app.services.prisma, shop);
    const visitorId = visitors.issue(shop);
    const response = await call(
      sessionAction,
      proxied("session", { visitorId, origin: GLOBAL_EXTRA }, { shop }),
      {},
      { socketAddress: "10.0.0.5" },
    );
    const { stream } = (await response.json()) as SessionBody;
    if (!stream) throw new Error("expected a stream");
    const post = () =>
      call(
        streamAction,
        new Request(stream.url, {
          method: "POST",
          headers: {
            origin: GLOBAL_EXTRA,
            authorization: `Bearer ${stream.token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ message: "hello", visitorId }),
        }),
        {},
        { socketAddress: "198.51.100.99" },
      );
    const before = await post();
    expect(before.status).toBe(200);
    await before.text();
    await recordUninstall(app.services.prisma, app.services.log, shop);
    const after = await post();
    expect(after.status).toBe(404);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("not_installed");
  });
});

describe("storefront origins per shop", () => {
  it("lets a shop's own custom domain stream for that shop only; the global extra for every shop", async () => {
    const [a, b] = [visitors.issue(SHOP_A), visitors.issue(SHOP_B)];
    expect((await session({ visitorId: a, origin: CUSTOM_A }, SHOP_A)).stream).not.toBeNull();
    expect((await session({ visitorId: b, origin: CUSTOM_A }, SHOP_B)).stream).toBeNull();
    expect((await session({ visitorId: b, origin: `https://${SHOP_A}` }, SHOP_B)).stream).toBeNull();
    expect((await session({ visitorId: b, origin: GLOBAL_EXTRA }, SHOP_B)).stream).not.toBeNull();

    const preflight = (shop: string, origin: string) =>
      call(
        streamLoader,
        new Request(`${APP_URL}/proxy/stream?shop=${shop}`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        }),
      );
    expect((await preflight(SHOP_A, CUSTOM_A)).status).toBe(204);
    expect((await preflight(SHOP_B, CUSTOM_A)).status).toBe(403);
  });

  it("lets the primary domain the app read for a shop stream for that shop only", async () => {
    const primary = "https://www.shop-a-primary.example";
    await app.services.prisma.shop.create({ data: { domain: SHOP_A, primaryOrigin: primary } });
    const a = await session({ visitorId: visitors.issue(SHOP_A), origin: primary }, SHOP_A);
    expect(a.stream).not.toBeNull();
    expect((await session({ visitorId: visitors.issue(SHOP_B), origin: primary }, SHOP_B)).stream).toBeNull();
    const streamed = await call(
      streamAction,
      new Request(a.stream!.url, {
        method: "POST",
        headers: { origin: primary, authorization: `Bearer ${a.stream!.token}`, "content-type": "application/json" },
        body: JSON.stringify({ message: "hello", visitorId: a.visitorId }),
      }),
      {},
      { socketAddress: "198.51.100.31" },
    );
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("access-control-allow-origin")).toBe(primary);
    await streamed.text();
    const preflight = (shop: string) =>
      call(
        streamLoader,
        new Request(`${APP_URL}/proxy/stream?shop=${shop}`, {
          method: "OPTIONS",
          headers: { origin: primary, "access-control-request-method": "POST" },
        }),
      );
    expect((await preflight(SHOP_A)).status).toBe(204);
    expect((await preflight(SHOP_B)).status).toBe(403);
  });
});
