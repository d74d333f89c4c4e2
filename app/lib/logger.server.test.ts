// The app's logger writes no credential and no shopper's personal data, wherever they sit in what is
// logged: realistic webhook bodies, a stored session, a request with its headers, errors and messages.
import { Session } from "@shopify/shopify-api";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.server";
import { mintChatToken } from "./storefront/token.server";

function capturedLogger() {
  const lines: string[] = [];
  const log = createLogger("debug", { write: (line: string) => void lines.push(line) });
  return { log, lines, text: () => lines.join("") };
}

const EMAIL = "jane.doe+vip@example.org";
const PHONE_INTL = "+44 20 7946 0958";
const PHONE_US = "(555) 625-1199";
const FIRST = "Janeway";
const LAST = "Okonkwo-Smythe";
const STREET = "42 Wallaby Way";
const ZIP = "K1A 0B1";
const ACCESS_TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const REFRESH_TOKEN = "shprt_fedcba9876543210fedcba9876543210";
const API_SECRET = "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";
const HMAC = "pK3vB9yqWdX8Zr2mA7cT1hQ5sE0uLjN4oYiGfRb6VwM=";
const SIGNATURE = "9f3b2c1d0e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b";
const COOKIE = "_shopify_y=7d1c0e5e-aaaa-4bbb-8ccc-123456789abc; secure_customer_sig=abcdef0123456789";

async function adminSessionToken() {
  return new SignJWT({ dest: "https://shop-a.myshopify.com", sid: "abc" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("https://shop-a.myshopify.com/admin")
    .setAudience("api-key")
    .setSubject("42")
    .setIssuedAt()
    .setExpirationTime("1m")
    .sign(new TextEncoder().encode("app-secret"));
}

describe("logger redaction", () => {
  it("writes none of the secrets or personal data of realistic logged objects, and keeps the rest", async () => {
    const { log, text, lines } = capturedLogger();
    const jwt = await adminSessionToken();
    const chatToken = mintChatToken("chat-secret-0123456789", {
      shop: "shop-a.myshopify.com",
      visitorId: "v-123",
      customerId: "7001",
      origin: "https://shop-a.example",
      exp: 1_900_000_000,
    } as Parameters<typeof mintChatToken>[1]);

    // customers/redact and orders/create bodies as Shopify sends them.
    const redactBody = {
      shop_id: 954889,
      shop_domain: "shop-a.myshopify.com",
      customer: { id: 191167, email: EMAIL, phone: PHONE_US },
      orders_to_redact: [299938, 280263],
    };
    const orderBody = {
      id: 820982911946154500,
      email: EMAIL,
      contact_email: EMAIL,
      phone: PHONE_INTL,
      total_price: "199.00",
      customer: { id: 191167, first_name: FIRST, last_name: LAST, email: EMAIL, tags: "vip" },
      billing_address: { name: `${FIRST} ${LAST}`, address1: STREET, zip: ZIP, city: "Ottawa", phone: PHONE_US },
      shipping_address: { first_name: FIRST, last_name: LAST, address1: STREET, zip: ZIP },
      line_items: [{ title: "Trail Tent 2P", price: "199.00", quantity: 1 }],
      note: `Call ${FIRST} at ${PHONE_US} before delivery`,
    };
    const session = new Session({
      id: "offline_shop-a.myshopify.com",
      shop: "shop-a.myshopify.com",
      state: "state-nonce",
      isOnline: true,
      scope: "read_products",
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      onlineAccessInfo: {
        expires_in: 86399,
        associated_user_scope: "read_products",
        associated_user: {
          id: 902541635,
          first_name: FIRST,
          last_name: LAST,
          email: EMAIL,
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      },
    });
    const proxyUrl =
      `https://app.example/proxy/chat?shop=shop-a.myshopify.com&logged_in_customer_id=7001` +
      `&path_prefix=%2Fapps%2Faisle&timestamp=1700000000&signature=${SIGNATURE}`;
    const request = new Request(proxyUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${jwt}`,
        cookie: COOKIE,
        "x-shopify-hmac-sha256": HMAC,
        "x-shopify-access-token": ACCESS_TOKEN,
        "content-type": "application/json",
      },
    });

    log.info({ topic: "CUSTOMERS_REDACT", payload: redactBody }, "webhook received");
    log.info({ webhook: { topic: "ORDERS_CREATE", payload: orderBody } }, "order webhook");
    log.info({ session }, "session stored");
    log.warn({ request, headers: Object.fromEntries(request.headers) }, "proxy request refused");
    log.info(
      { url: proxyUrl, streamUrl: `https://app.example/proxy/stream?token=${chatToken}` },
      "chat session minted",
    );
    log.info(
      {
        stream: { token: chatToken, expiresAt: 1_900_000_000 },
        inputTokens: 1834,
        tokens: { input: 1834, output: 212 },
      },
      "tokens reserved",
    );
    log.info({ config: { apiKey: "api-key", apiSecretKey: API_SECRET, clientSecret: API_SECRET } }, "booted");
    log
      .child({ shop: "shop-a.myshopify.com", customerEmail: EMAIL })
      .child({ component: "customers", phone: PHONE_INTL })
      .info("grandchild logger line");
    // Free text: messages (printf interpolation, as the Shopify library logs) and error text.
    log.info("Authorization header was Bearer %s for %s", jwt, EMAIL);
    log.info(`webhook hmac=${HMAC} token: ${chatToken} from ${PHONE_INTL}`);
    log.error(
      { err: new Error(`Customer ${EMAIL} (${PHONE_US}) not found; access token ${ACCESS_TOKEN}`) },
      "lookup failed",
    );
    log.error(new Error(`refresh failed for ${REFRESH_TOKEN}`));

    const output = text();
    expect(lines).toHaveLength(12);
    const secrets = {
      EMAIL,
      PHONE_INTL,
      PHONE_US,
      "phone digits": "625-1199",
      FIRST,
      LAST,
      STREET,
      ZIP,
      ACCESS_TOKEN,
      REFRESH_TOKEN,
      API_SECRET,
      HMAC,
      SIGNATURE,
      COOKIE: "secure_customer_sig=abcdef",
      jwt,
      "jwt signature": jwt.split(".")[2],
      chatToken,
      "chat token signature": chatToken.split(".")[1],
    };
    const leaked = Object.entries(secrets).filter(([, value]) => output.includes(value));
    expect(leaked.map(([name]) => name)).toEqual([]);

    // What operators need is still there.
    for (const kept of ["shop-a.myshopify.com", "CUSTOMERS_REDACT", "299938", "191167", "Trail Tent 2P", "199.00"]) {
      expect(output).toContain(kept);
    }
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[5]).toMatchObject({
      inputTokens: 1834,
      tokens: { input: 1834, output: 212 },
      stream: { token: "[redacted]", expiresAt: 1_900_000_000 },
    });
    expect(parsed[1]).toMatchObject({ webhook: { payload: { customer: { id: 191167, tags: "vip" } } } });
    expect(parsed[10]).toMatchObject({ msg: "lookup failed", err: { type: "Error" } });
    expect(String((parsed[10].err as { message: string }).message)).toBe(
      "Customer [email] ([phone]) not found; access token [redacted]",
    );
  });

  it("does not change the objects the caller logged, and survives cycles", () => {
    const { log, lines } = capturedLogger();
    const customer: Record<string, unknown> = { id: 1, email: EMAIL };
    customer.self = customer;
    log.info({ customer });
    expect(customer.email).toBe(EMAIL);
    expect(JSON.parse(lines[0])).toMatchObject({ customer: { id: 1, email: "[redacted]", self: "[circular]" } });
  });

  it("leaves host names and URLs without credentials alone", () => {
    const { log, lines } = capturedLogger();
    log.info({ chroma: "http://chroma-production-01.internal-network:8000/api/v2" }, "vector store ready");
    expect(JSON.parse(lines[0]).chroma).toBe("http://chroma-production-01.internal-network:8000/api/v2");
  });

  it("leaves dates, ids, prices and counts in free text alone", () => {
    const { log, lines } = capturedLogger();
    log.info(
      "import of 12,345 products finished 2026-12-02T16:10:00Z; gid://shopify/Product/7001234567890 at $1,499.00",
    );
    expect(JSON.parse(lines[0]).msg).toBe(
      "import of 12,345 products finished 2026-12-02T16:10:00Z; gid://shopify/Product/7001234567890 at $1,499.00",
    );
  });
});
