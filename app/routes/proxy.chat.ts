import type { ActionFunctionArgs } from "@remix-run/node";
import { handleChatTurn } from "../lib/storefront/chat-turn.server";
import { jsonError } from "../lib/storefront/http";
import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";

// Storefront → POST /apps/aisle/chat → here, signed by Shopify. Answers one chat turn as
// server-sent events (the fallback transport when the widget cannot stream from the app's origin).
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, storefront } = context.services;
  const shopper = await verifiedProxyShopper(shopify.authenticate, request);
  if (shopper instanceof Response) return shopper;
  return handleChatTurn(storefront.chat, {
    shop: shopper.shop,
    customerId: shopper.customerId,
    request,
    client: { via: "app-proxy", socketAddress: context.socketAddress },
  });
}

export function loader() {
  return jsonError(405, "method_not_allowed", "POST a chat message.", { Allow: "POST" });
}
