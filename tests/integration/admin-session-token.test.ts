// P4 (issue 15): App Bridge session tokens the app must refuse, through the real
// @shopify/shopify-app-remix `authenticate.admin` of the app's composition root (createServices), on an
// embedded route (app.data-exports.$id). A valid token for the same shop, with its offline session
// stored, is let in (the control): so each refusal is about the token alone.
import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as exportLoader } from "../../app/routes/app.data-exports.$id";
import { createTestApp, TEST_APP_ENV, type TestApp } from "../kit/test-app";

const SHOP = "p4-tokens.myshopify.com";
const API_KEY = TEST_APP_ENV.SHOPIFY_API_KEY;
const SECRET = TEST_APP_ENV.SHOPIFY_API_SECRET;

interface TokenSpec {
  secret?: string;
  aud?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  dest?: string;
}

async function sessionToken(spec: TokenSpec = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = spec.iat ?? now;
  return new SignJWT({
    iss: `https://${SHOP}/admin`,
    dest: spec.dest ?? `https://${SHOP}`,
    aud: spec.aud ?? API_KEY,
    sub: "42",
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setNotBefore(spec.nbf ?? iat)
    .setExpirationTime(spec.exp ?? iat + 60)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(spec.secret ?? SECRET));
}

/** An unsigned token (`alg: none`) with a perfectly valid payload. */
function unsignedToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = part({ alg: "none", typ: "JWT" });
  const payload = part({
    iss: `https://${SHOP}/admin`,
    dest: `https://${SHOP}`,
    aud: API_KEY,
    sub: "42",
    iat: now,
    nbf: now,
    exp: now + 60,
    jti: randomUUID(),
    sid: randomUUID(),
  });
  return `${header}.${payload}.`;
}

let app: TestApp;
beforeAll(async () => {
  app = createTestApp();
  // The shop is installed: its offline session is stored, so a valid token needs no token exchange.
  await app.services.shopify.sessionStorage!.storeSession(
    new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      scope: app.env.SCOPES.join(","),
      accessToken: "shpat_p4_offline_token",
      expires: new Date(Date.now() + 3600_000),
    }),
  );
});
afterAll(() => app.close());

/** The route as App Bridge's fetch calls it: the token in `Authorization: Bearer`. */
const fetchWith = (token: string) =>
  app.call(
    exportLoader,
    new Request(`${app.env.SHOPIFY_APP_URL}/app/data-exports/no-such-export`, {
      headers: { authorization: `Bearer ${token}` },
    }),
    { id: "no-such-export" },
  );

describe("P4: admin session tokens", () => {
  it("lets a valid token in (control: the route answers its own 404)", async () => {
    const response = await fetchWith(await sessionToken());
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("No such export in this shop");
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => Promise<string> | string]> = [
    ["expired (exp 10 minutes ago)", () => sessionToken({ iat: now() - 660, exp: now() - 600 })],
    ["not yet valid (nbf 10 minutes ahead)", () => sessionToken({ nbf: now() + 600, exp: now() + 660 })],
    ["for another app (wrong aud)", () => sessionToken({ aud: "some-other-app" })],
    ["signed with another key", () => sessionToken({ secret: "not-the-app-secret" })],
    ["unsigned (alg: none)", () => unsignedToken()],
    ["signature stripped from a valid token", async () => (await sessionToken()).replace(/\.[^.]+$/, ".")],
    ["not a JWT", () => "not-a-token"],
  ];

  it.each(cases)("refuses a token %s with 401 and runs nothing", async (_name, make) => {
    const response = await fetchWith(await make());
    expect(response.status).toBe(401);
    expect(response.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
    expect(await response.text()).not.toContain("export");
  });
});
