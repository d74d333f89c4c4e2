// App Proxy requests: the signature is verified before anything else, and only then are `shop` and
// `logged_in_customer_id` read from the (signed) query string.
import { jsonError } from "./http";

export interface ProxyShopper {
  shop: string;
  /** The verified `logged_in_customer_id`, or null for an anonymous shopper. */
  customerId: string | null;
}

/** What this needs of the app's shopifyApp(): the library's App Proxy signature check. */
export interface AppProxyAuthenticator {
  public: { appProxy(request: Request): Promise<{ session?: unknown }> };
}

/** The verified shopper, or the response refusing the request (400 bad signature, 404 not installed). */
export async function verifiedProxyShopper(
  authenticate: AppProxyAuthenticator,
  request: Request,
): Promise<ProxyShopper | Response> {
  // Throws a 400 Response for a bad, missing or stale signature (Remix returns thrown Responses as-is).
  const { session } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop");
  if (!session || !shop) return jsonError(404, "not_installed", "Aisle is not installed on this shop.");
  const customer = url.searchParams.get("logged_in_customer_id");
  return { shop, customerId: customer && /^\d{1,20}$/.test(customer) ? customer : null };
}
