// Requests signed the way Shopify signs them, for tests that call the app directly (in-process routes or
// over HTTP). Signing and headers come from the store emulator's signers, the one implementation the
// project has, checked against Shopify's documented vectors in tests/emulator/signing.test.ts.
import { appProxyQuery } from "../../tools/emulator/signing/app-proxy";
import { webhookMessage, webhookRequest } from "../../tools/emulator/signing/webhook";

export { appProxySignature } from "../../tools/emulator/signing/app-proxy";
export { webhookHmac } from "../../tools/emulator/signing/webhook";

/** The webhook API version of shopify.app.toml, which Shopify states in X-Shopify-API-Version. */
const WEBHOOK_API_VERSION = "2026-07";

export interface SignedWebhookOptions {
  /** The app's origin, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  secret: string;
  shop: string;
  topic: string;
  /** The raw body, signed byte for byte. */
  body: string;
  /** Default /webhooks/<topic> (the URIs of shopify.app.toml). */
  path?: string;
  /** Default: a fresh UUID (a new delivery); repeat one to replay a delivery. */
  webhookId?: string;
  /** Replaces the computed signature (forgery tests); null leaves the header out. */
  hmac?: string | null;
}

/** A webhook delivery as Shopify POSTs it: raw body, X-Shopify-* headers, HMAC of the body. */
export function signedWebhookRequest(options: SignedWebhookOptions): Request {
  const { appUrl, secret, path = `/webhooks/${options.topic}`, hmac } = options;
  const request = webhookRequest(new URL(path, appUrl), webhookMessage(options), {
    apiSecret: secret,
    apiVersion: WEBHOOK_API_VERSION,
  });
  if (hmac === null) request.headers.delete("X-Shopify-Hmac-Sha256");
  else if (hmac !== undefined) request.headers.set("X-Shopify-Hmac-Sha256", hmac);
  return request;
}

export interface SignedProxyOptions {
  /** The app's origin, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  secret: string;
  shop: string;
  /** The app's path the proxy forwards to, e.g. /proxy/chat. */
  path: string;
  /** The shopper's own query, forwarded ahead of Shopify's parameters. */
  query?: ConstructorParameters<typeof URLSearchParams>[0];
  /** Default "" (an anonymous shopper). */
  loggedInCustomerId?: string;
  /** Default /apps/aisle (shopify.app.toml's app proxy). */
  pathPrefix?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Changes the signed query before it is sent (tampering, or deleting `signature`). */
  tamper?: (query: URLSearchParams) => void;
  /** Method, headers and body of the shopper's request (default GET). */
  init?: RequestInit;
}

/** A request as the App Proxy forwards it to the app: the query with Shopify's parameters, signed. */
export function signedProxyRequest(options: SignedProxyOptions): Request {
  const query = appProxyQuery(
    new URLSearchParams(options.query),
    {
      shop: options.shop,
      loggedInCustomerId: options.loggedInCustomerId ?? "",
      pathPrefix: options.pathPrefix ?? "/apps/aisle",
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    },
    options.secret,
  );
  options.tamper?.(query);
  return new Request(`${new URL(options.path, options.appUrl)}?${query}`, options.init);
}
