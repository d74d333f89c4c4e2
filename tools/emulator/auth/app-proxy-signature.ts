// App proxy signature as Shopify documents it: hex HMAC-SHA256 over the sorted `key=value` pairs of the
// query (without `signature`), repeated keys joined with ",", concatenated without separators.
import { createHmac } from "node:crypto";

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  // Sorted by key (code points), as Shopify signs them.
  const message = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** OAuth callback HMAC: hex HMAC-SHA256 over the sorted `key=value` pairs joined with "&", without `hmac`. */
export function oauthHmac(params: URLSearchParams, secret: string): string {
  const message = [...params.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}
