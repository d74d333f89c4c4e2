import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCartEvent } from "../lib/storefront/cart-event.server";
import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";

// Storefront → POST /apps/aisle/cart-event → here: the widget's Add to cart, recorded in the
// visitor's conversation (the cart itself is changed by the storefront's /cart/add.js).
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, storefront } = context.services;
  const shopper = await verifiedProxyShopper(shopify.authenticate, request);
  if (shopper instanceof Response) return shopper;
  return handleCartEvent(storefront.chat, {
    shop: shopper.shop,
    request,
    client: { via: "app-proxy", socketAddress: context.socketAddress },
  });
}
