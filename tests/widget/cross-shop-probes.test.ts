// P2 (issue 15): 1,000 cross-shop probes. Shop A's shopper (requests validly signed by the App Proxy for
// shop A, or A's own chat token) reaches for shop B's data with everything of B it could learn: B's
// conversation ids and visitor ids, B's product ids, titles and SKUs, B's customer id, B's storefront
// origin, B's shop domain in the query. Through the real routes of the app's composition root (real
// authenticate.public.appProxy, SQLite, Chroma, LangChain against the local model server). A leak is
// any of B's data in a response to A or in what A's turns sent to the model provider, or any change to
// B's stored conversations.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { action as cartEventAction } from "../../app/routes/proxy.cart-event";
import { action as chatAction } from "../../app/routes/proxy.chat";
import { action as sessionAction } from "../../app/routes/proxy.session";
import { action as streamAction } from "../../app/routes/proxy.stream";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../../tools/openai-compatible/server";
import { storeOfflineSession } from "../kit/installed-shop";
import { signedProxyRequest } from "../kit/signed-requests";
import { createTestApp, type TestApp } from "../kit/test-app";
import { makeProduct, outdoorCatalog } from "../search/products";

const SECRET = "cross-shop-probe-secret-5d2a";
const APP_URL = "http://127.0.0.1:39951";
const SHOP_A = "alpha-probe.myshopify.com";
const SHOP_B = "bravo-probe.myshopify.com";
const CUSTOMER_B = "9009001";

const catalogB = Array.from({ length: 6 }, (_, i) =>
  makeProduct({
    title: `Zephyrine Kayak ${i + 1}`,
    description: `A sea kayak sold only by shop bravo, model zephyrine-${i + 1}.`,
    vendor: "Zephyrine Works",
    productType: "Kayak",
    variants: [{ price: `${700 + i}.00`, sku: `ZPH-KAYAK-${i + 1}` }],
  }),
);
const B_MESSAGE = (i: number) => `quillwort secret question ${i} about kayaks`;
const B_MARKERS = [
  "Zephyrine",
  "ZPH-KAYAK",
  "zephyrine-",
  "Zephyrine Works",
  "quillwort",
  "Beatrix",
  "bravo-internal-tag",
  "Order #B-77",
  "Bravo Private Order Item",
  // Full ids: the bare numbers also occur in timestamps and counts.
  ...catalogB.flatMap((p) => [p.id, ...p.variants.map((v) => v.id)]),
];

let llm: OpenAiCompatibleServer;
let app: TestApp;
const bConversations: Array<{ id: string; visitorId: string }> = [];

const proxied = (
  route: string,
  body: unknown,
  options: { customerId?: string; tamper?: (q: URLSearchParams) => void; shop?: string } = {},
) =>
  signedProxyRequest({
    appUrl: APP_URL,
    path: `/proxy/${route}`,
    secret: SECRET,
    shop: options.shop ?? SHOP_A,
    loggedInCustomerId: options.customerId,
    tamper: options.tamper,
    init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  });

async function bState() {
  const states = await Promise.all(bConversations.map((c) => app.services.customers.getConversation(SHOP_B, c.id)));
  return JSON.stringify(states.map((s) => [s?.messages.length, s?.cartEvents.length]));
}

beforeAll(async () => {
  llm = await startOpenAiCompatibleServer({ apiKey: "sk-probe" });
  app = createTestApp({
    SHOPIFY_API_KEY: "cross-shop-probe-app",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: APP_URL,
    LLM_PROVIDER: "openai",
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "sk-probe",
    // The probes are about isolation, not rate limits: nothing here may be refused for volume.
    CHAT_VISITOR_MESSAGES_PER_WINDOW: "100000",
    CHAT_SHOP_MESSAGES_PER_WINDOW: "100000",
    CHAT_DAILY_TOKEN_BUDGET: "1000000000",
    CHAT_SHOP_TOKENS_PER_MINUTE: "1000000000",
    CHAT_GLOBAL_DAILY_TOKEN_BUDGET: "1000000000",
    CHAT_VISITOR_TOKEN_SHARE: "1",
    CHAT_IP_MESSAGES_PER_WINDOW: "100000",
    CHAT_IP_TOKEN_SHARE: "1",
    CHAT_CART_EVENTS_PER_WINDOW: "100000",
  });
  await storeOfflineSession(app.services.prisma, SHOP_A);
  await storeOfflineSession(app.services.prisma, SHOP_B);
  await app.services.productIndex.upsert(
    SHOP_A,
    outdoorCatalog().map((p) => buildProductDocument(p)),
  );
  await app.services.productIndex.upsert(
    SHOP_B,
    catalogB.map((p) => buildProductDocument(p)),
  );
  // B's logged-in customer, with an order: what B's own answers may use about them.
  const now = new Date();
  await app.services.customers.store.upsertCustomer({
    shop: SHOP_B,
    customerId: CUSTOMER_B,
    firstName: "Beatrix",
    tags: ["bravo-internal-tag"],
    orderCount: 1,
    marketingConsent: "unknown",
    sourceUpdatedAt: now,
  });
  await app.services.customers.store.upsertOrder({
    shop: SHOP_B,
    orderId: "88001",
    customerId: CUSTOMER_B,
    name: "Order #B-77",
    placedAt: now,
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelledAt: null,
    closedAt: null,
    items: [{ productId: catalogB[0].id.split("/").pop()!, title: "Bravo Private Order Item", quantity: 1 }],
    fulfillments: [],
    sourceUpdatedAt: now,
  });
  // B's shoppers talk to B: their conversations are what A's probes reach for.
  for (let i = 0; i < 10; i++) {
    const visitorId = `bravo-visitor-${i}`;
    const response = await app.call(
      chatAction,
      proxied("chat", { message: B_MESSAGE(i), visitorId }, { shop: SHOP_B, customerId: i === 0 ? CUSTOMER_B : "" }),
    );
    const text = await response.text();
    const id = /"id":"([^"]+)"/.exec(text)?.[1];
    if (response.status !== 200 || !id) throw new Error(`B's chat failed: ${response.status} ${text}`);
    bConversations.push({ id, visitorId });
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  await llm?.close();
});

interface Probe {
  kind: string;
  request: () => Promise<Request> | Request;
  handler: typeof chatAction;
}

describe("P2: cross-shop probes", () => {
  it("1,000 probes from shop A for shop B's data: 0 leaks", async () => {
    const pick = <T>(list: T[], i: number) => list[i % list.length];
    // A's own chat token (its session, its storefront origin), for the app-origin stream probes.
    const session = await app.call(
      sessionAction,
      proxied("session", { visitorId: "alpha-visitor-1", origin: `https://${SHOP_A}` }),
    );
    // The token is bound to the visitor id the app issued (the one asked for is replaced).
    const { stream, visitorId: alphaVisitor } = (await session.json()) as {
      stream: { url: string; token: string };
      visitorId: string;
    };
    const streamRequest = (url: string, body: unknown) =>
      new Request(url, {
        method: "POST",
        headers: {
          origin: `https://${SHOP_A}`,
          authorization: `Bearer ${stream.token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      });
    const bProductIds = catalogB.map((p) => p.id.split("/").pop()!);
    const bVariantIds = catalogB.map((p) => p.variants[0].id.split("/").pop()!);

    const kinds: Array<[string, number, (i: number) => Omit<Probe, "kind">]> = [
      [
        "chat naming B's products (title, SKU, id)",
        150,
        (i) => ({
          handler: chatAction,
          request: () =>
            proxied("chat", {
              message: pick(
                [
                  `Zephyrine Kayak ${(i % 6) + 1}`,
                  `ZPH-KAYAK-${(i % 6) + 1}`,
                  `product ${pick(bProductIds, i)}`,
                  "sea kayak from Zephyrine Works",
                  "kayak",
                ],
                i,
              ),
              visitorId: `alpha-probe-${i}`,
            }),
        }),
      ],
      [
        "chat continuing B's conversation as B's visitor",
        150,
        (i) => ({
          handler: chatAction,
          request: () => {
            const c = pick(bConversations, i);
            return proxied("chat", { message: "what did I ask before?", visitorId: c.visitorId, conversationId: c.id });
          },
        }),
      ],
      [
        "chat continuing B's conversation as a new visitor",
        100,
        (i) => ({
          handler: chatAction,
          request: () =>
            proxied("chat", {
              message: "repeat the last question",
              visitorId: `alpha-probe-${i}`,
              conversationId: pick(bConversations, i).id,
            }),
        }),
      ],
      [
        "chat as B's logged-in customer id (signed for A)",
        100,
        (i) => ({
          handler: chatAction,
          request: () =>
            proxied(
              "chat",
              { message: "where is my last order?", visitorId: `alpha-probe-${i}` },
              { customerId: CUSTOMER_B },
            ),
        }),
      ],
      [
        "cart event on B's conversation and product",
        150,
        (i) => ({
          handler: cartEventAction,
          request: () => {
            const c = pick(bConversations, i);
            return proxied("cart-event", {
              visitorId: c.visitorId,
              conversationId: c.id,
              productId: pick(bProductIds, i),
              variantId: pick(bVariantIds, i),
            });
          },
        }),
      ],
      [
        "session as B's visitor from B's storefront origin",
        100,
        (i) => ({
          handler: sessionAction,
          request: () =>
            proxied("session", { visitorId: pick(bConversations, i).visitorId, origin: `https://${SHOP_B}` }),
        }),
      ],
      [
        "A's chat token on the stream with ?shop=B",
        100,
        (i) => ({
          handler: streamAction,
          request: () =>
            streamRequest(`${APP_URL}/proxy/stream?shop=${SHOP_B}`, {
              message: "kayak",
              visitorId: alphaVisitor,
              conversationId: pick(bConversations, i).id,
            }),
        }),
      ],
      [
        "A's chat token on the stream with B's conversation id",
        100,
        (i) => ({
          handler: streamAction,
          request: () =>
            streamRequest(stream.url, {
              message: "what was asked here?",
              visitorId: alphaVisitor,
              conversationId: pick(bConversations, i).id,
            }),
        }),
      ],
      [
        "A's signed request with shop=B put in afterwards",
        50,
        (i) => ({
          handler: pick([chatAction, sessionAction, cartEventAction], i),
          request: () =>
            proxied(
              pick(["chat", "session", "cart-event"], i),
              {
                message: "kayak",
                visitorId: pick(bConversations, i).visitorId,
                conversationId: pick(bConversations, i).id,
              },
              { tamper: (q) => q.set("shop", SHOP_B) },
            ),
        }),
      ],
    ];

    const probes: Probe[] = kinds.flatMap(([kind, count, make]) =>
      Array.from({ length: count }, (_, i) => ({ kind, ...make(i) })),
    );
    expect(probes).toHaveLength(1000);

    const before = await bState();
    llm.reset();
    const leaks: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    for (let start = 0; start < probes.length; start += 8) {
      await Promise.all(
        probes.slice(start, start + 8).map(async (probe) => {
          const response = await app.call(probe.handler, await probe.request());
          const body = await response.text();
          const byStatus = statuses.get(probe.kind) ?? new Map<number, number>();
          byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
          statuses.set(probe.kind, byStatus);
          const found = B_MARKERS.filter((marker) => body.includes(marker));
          const continued = bConversations.filter((c) => body.includes(c.id));
          // A session for A's shopper never carries a chat token for B's storefront origin.
          if (probe.handler === sessionAction && response.status === 200 && JSON.parse(body).stream !== null) {
            found.push("a chat token for B's storefront origin");
          }
          if (found.length || continued.length) {
            leaks.push(`${probe.kind} → ${response.status}: ${[...found, ...continued.map((c) => c.id)].join(", ")}`);
          }
        }),
      );
    }
    // What A's turns sent to the model provider: the app's own parts (system prompt, catalog context,
    // customer facts) carry none of B's data; the whole prompt (history included) carries none of what
    // the attacker did not type themselves (B's shoppers' messages, B's customer, order and ids).
    const bodies = llm.requests.map((r) => r.body as { messages: Array<{ role: string; content: string }> });
    const appParts = JSON.stringify(bodies.map((b) => b.messages.filter((m) => m.role === "system")));
    const whole = JSON.stringify(bodies);
    const untyped = B_MARKERS.filter((m) => !["Zephyrine", "ZPH-KAYAK", "zephyrine-", "Zephyrine Works"].includes(m));
    const sentLeaks = [
      ...B_MARKERS.filter((marker) => appParts.includes(marker)),
      ...untyped.filter((marker) => whole.includes(marker)),
    ];
    const after = await bState();

    const summary = [...statuses].map(
      ([kind, byStatus]) => `${kind}: ${[...byStatus].map(([status, n]) => `${n}×${status}`).join(" ")}`,
    );
    console.info(
      `P2: ${probes.length} probes; leaks in responses ${leaks.length}; B's data in prompts ${sentLeaks.length}; ` +
        `B's conversations changed ${before === after ? "no" : "YES"}; model calls ${llm.requests.length}\n  ${summary.join("\n  ")}`,
    );
    expect(leaks).toEqual([]);
    expect(sentLeaks).toEqual([]);
    expect(after).toBe(before);
    // The probes were answered, not just refused: A's chat turns ran (and reached the model).
    const answered = (kind: string) => statuses.get(kind)?.get(200) ?? 0;
    expect(answered("chat naming B's products (title, SKU, id)")).toBe(150);
    expect(answered("chat continuing B's conversation as B's visitor")).toBe(150);
    expect(answered("A's chat token on the stream with B's conversation id")).toBe(100);
    expect(llm.requests.length).toBeGreaterThan(300);
    // Hundreds of answers: a generous limit for a busy shared machine (a safety net, not a measure).
  }, 300_000);

  it("the markers are B's real data: B's own shopper sees them", async () => {
    const response = await app.call(
      chatAction,
      proxied("chat", { message: "Zephyrine Kayak 1", visitorId: `bravo-control-${randomUUID()}` }, { shop: SHOP_B }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Zephyrine Kayak 1");
  });
});
