// App Proxy requests: the signature is verified before anything else, and only then are `shop` and
// `logged_in_customer_id` read from the (signed) query string. A signed parameter given twice is
// refused first: the signature covers the values joined with ",", so a repeated customer id signs
// and verifies, and the app would act on the first value alone.
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

/** The parameters Shopify adds and signs, which the library or the app read: each at most once. */
const SINGLE_VALUED_PARAMETERS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature", "hmac"];

/** The first of `names` that the query repeats, or null. */
export function repeatedParameter(url: URL, names: readonly string[] = SINGLE_VALUED_PARAMETERS): string | null {
  return names.find((name) => url.searchParams.getAll(name).length > 1) ?? null;
}

/**
 * The verified shopper, or the response refusing the request (400 repeated parameter or bad
 * signature, 404 not installed).
 */
export async function verifiedProxyShopper(
  authenticate: AppProxyAuthenticator,
  request: Request,
): Promise<ProxyShopper | Response> {
  const repeated = repeatedParameter(new URL(request.url));
  if (repeated) return jsonError(400, "repeated_parameter", `The query gives "${repeated}" more than once.`);
  // Throws a 400 Response for a bad, missing or stale signature (Remix returns thrown Responses as-is).
  const { session } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop");
  if (!session || !shop) return jsonError(404, "not_installed", "Aisle is not installed on this shop.");
  const customer = url.searchParams.get("logged_in_customer_id");
  return { shop, customerId: customer && /^\d{1,20}$/.test(customer) ? customer : null };
}
