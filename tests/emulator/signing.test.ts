// The project's one set of Shopify signers (tools/emulator/signing: the storefront's App Proxy, webhook
// deliveries, the admin's launch URL and tests/kit all sign there), against Shopify's documented vectors.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appProxyQuery, appProxySignature } from "../../tools/emulator/signing/app-proxy";
import { oauthHmac } from "../../tools/emulator/signing/oauth-hmac";
import { fixturesPresent, SIGNATURES } from "./fixtures";

const PROXY_VECTORS = path.join(SIGNATURES, "app-proxy-signature-vectors.json");
const OAUTH_VECTOR = path.join(SIGNATURES, "oauth-hmac-vector.json");
const SHOPIFY_PROXY_KEYS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];

interface ProxyVector {
  name: string;
  secret: string;
  query_string: string;
  expected_signature: string;
}

// Read inside the tests: a skipped describe still runs its body.
const proxyVectors = () => (JSON.parse(readFileSync(PROXY_VECTORS, "utf8")) as { vectors: ProxyVector[] }).vectors;

describe.skipIf(!fixturesPresent("App Proxy signature vectors", PROXY_VECTORS))("App Proxy signature", () => {
  it("reproduces Shopify's documented signatures", () => {
    for (const vector of proxyVectors()) {
      const signature = appProxySignature(new URLSearchParams(vector.query_string), vector.secret);
      expect(signature, vector.name).toBe(vector.expected_signature);
    }
  });

  it("forwards the documented query byte for byte: the shopper's parameters, then Shopify's, signed", () => {
    for (const vector of proxyVectors()) {
      const documented = new URLSearchParams(vector.query_string);
      const shopper = new URLSearchParams([...documented].filter(([key]) => !SHOPIFY_PROXY_KEYS.includes(key)));
      const query = appProxyQuery(
        shopper,
        {
          shop: documented.get("shop")!,
          loggedInCustomerId: documented.get("logged_in_customer_id")!,
          pathPrefix: documented.get("path_prefix")!,
          timestamp: Number(documented.get("timestamp")),
        },
        vector.secret,
      );
      expect(query.toString(), vector.name).toBe(vector.query_string);
    }
  });
});

describe.skipIf(!fixturesPresent("OAuth HMAC vector", OAUTH_VECTOR))("OAuth HMAC", () => {
  it("reproduces Shopify's documented hmac", () => {
    const vector = JSON.parse(readFileSync(OAUTH_VECTOR, "utf8")) as {
      secret: string;
      query_string: string;
      expected_hmac: string;
    };
    expect(oauthHmac(new URLSearchParams(vector.query_string), vector.secret)).toBe(vector.expected_hmac);
  });
});
