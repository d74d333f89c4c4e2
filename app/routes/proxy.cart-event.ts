import type { ActionFunctionArgs } from "@remix-run/node";
import { chatCaps } from "../lib/chat/chat-endpoint-services.server";
import { handleCartEvent } from "../lib/chat/chat-endpoint.server";
import { verifiedProxyShopper } from "../lib/chat/chat-endpoint-proxy.server";
import { customers } from "../services.server";

// Storefront → POST /apps/aisle/cart-event → here: the widget's Add to cart, recorded in the
// visitor's conversation (the cart itself is changed by the storefront's /cart/add.js).
export async function action({ request }: ActionFunctionArgs) {
  const shopper = await verifiedProxyShopper(request);
  if (shopper instanceof Response) return shopper;
  return handleCartEvent({ conversations: customers, caps: chatCaps }, { shop: shopper.shop, request });
}
