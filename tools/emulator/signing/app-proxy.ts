// App proxy signature as Shopify documents it: hex HMAC-SHA256 over the sorted `key=value` pairs of the
// query (without `signature`), repeated keys joined with ",", concatenated without separators.
// The storefront's proxy forwarding and the tests' signed proxy requests both sign here.
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

/** The parameters Shopify adds to a proxied request. */
export interface AppProxyParams {
  shop: string;
  /** The logged-in customer's id; "" for an anonymous shopper (Shopify still sends the parameter). */
  loggedInCustomerId: string;
  /** Where the shopper reached the proxy, e.g. /apps/aisle. */
  pathPrefix: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** The query Shopify forwards to the app: the shopper's parameters, then Shopify's own, then `signature`. */
export function appProxyQuery(shopperQuery: URLSearchParams, proxy: AppProxyParams, secret: string): URLSearchParams {
  const params = new URLSearchParams(shopperQuery);
  // A shopper cannot pass Shopify's parameters: Shopify's own replace them.
  for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(key);
  params.append("shop", proxy.shop);
  params.append("logged_in_customer_id", proxy.loggedInCustomerId);
  params.append("path_prefix", proxy.pathPrefix);
  params.append("timestamp", String(proxy.timestamp));
  params.append("signature", appProxySignature(params, secret));
  return params;
}
