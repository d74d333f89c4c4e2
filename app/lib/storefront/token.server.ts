// The short-lived chat token the widget gets through the (signed) App Proxy and then presents to
// the app's own origin to stream answers (docs/decisions/070-chat-streaming-transport.md).
// It carries only what the proxy signature vouched for: shop, visitor, verified customer, origin.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface ChatTokenClaims {
  shop: string;
  visitorId: string;
  /** Set only from a verified `logged_in_customer_id`. */
  customerId: string | null;
  /** The storefront origin the token may be used from (CORS is answered for it alone). */
  origin: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

// Domain separation: the app secret also signs other things (Shopify's own HMACs use it raw).
const PURPOSE = "aisle.chat-token.v1";

const sign = (secret: string, payload: string) =>
  createHmac("sha256", secret).update(`${PURPOSE}.${payload}`).digest("base64url");

export function mintChatToken(secret: string, claims: ChatTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

export class ChatTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChatTokenError";
  }
}

/** The token's claims, or a ChatTokenError saying why it is refused (bad signature, expired, malformed). */
export function verifyChatToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length) throw new ChatTokenError("malformed chat token");
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ChatTokenError("chat token signature does not match");
  }
  let claims: ChatTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as ChatTokenClaims;
  } catch {
    throw new ChatTokenError("malformed chat token");
  }
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) throw new ChatTokenError("chat token expired");
  return claims;
}

/**
 * Origins allowed to stream straight from the app for a shop: its myshopify.com storefront, the
 * origins the app knows for it (`known`: its primary domain), the configured entries bound to it
 * (`<shop>=<origin>`) and the configured entries bound to no shop (explicitly global: local
 * storefronts). Never "whatever the request says", and never an origin bound to another shop.
 */
export function isAllowedStorefrontOrigin(
  shop: string,
  origin: string,
  configured: readonly string[],
  known: readonly string[] = [],
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin !== origin) return false; // a path, credentials or a trailing slash: not an origin
  if (origin === `https://${shop}` || known.includes(origin)) return true;
  return configured.some((entry) => {
    const bound = entry.indexOf("=");
    return bound < 0 ? entry === origin : entry.slice(0, bound) === shop && entry.slice(bound + 1) === origin;
  });
}
