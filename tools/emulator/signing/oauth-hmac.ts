// The `hmac` of Shopify's OAuth callback and admin launch URLs.
import { createHmac } from "node:crypto";

/** Hex HMAC-SHA256 over the sorted `key=value` pairs joined with "&", without `hmac`. */
export function oauthHmac(params: URLSearchParams, secret: string): string {
  const message = [...params.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}
