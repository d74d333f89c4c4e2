// Session tokens (id_token) as Shopify admin and App Bridge issue them: HS256 JWTs signed with the
// app secret, aud = API key, iss = https://<shop>/admin, dest = https://<shop>, valid for one minute.
import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

export interface SessionTokenOptions {
  apiKey: string;
  apiSecret: string;
  shop: string;
  /** Staff user id (`sub`). */
  userId?: string;
  /** Lifetime in seconds (Shopify: 60). */
  ttlSeconds?: number;
  /** Override the issue time (seconds since epoch), e.g. to make an expired token. */
  issuedAt?: number;
}

export async function signSessionToken(options: SessionTokenOptions): Promise<string> {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.apiSecret));
}

/** Checks a session token the way Shopify's token endpoint does; returns the shop it was issued for. */
export async function verifySessionToken(token: string, apiKey: string, apiSecret: string): Promise<string> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(apiSecret), {
    algorithms: ["HS256"],
    audience: apiKey,
    clockTolerance: 10,
  });
  const dest = typeof payload.dest === "string" ? payload.dest : "";
  const shop = dest.replace(/^https:\/\//, "");
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new Error("the token has no valid dest");
  return shop;
}
