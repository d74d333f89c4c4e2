import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";

// Storefront → /apps/aisle/status → here, signed by Shopify. The signature is verified before
// anything else; a bad, missing or stale one is answered 400 by the library.
export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  return Response.json({
    shop: url.searchParams.get("shop"),
    installed: Boolean(session),
    loggedInCustomerId: url.searchParams.get("logged_in_customer_id") || null,
  });
}
