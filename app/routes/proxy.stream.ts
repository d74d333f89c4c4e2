import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleChatTurn } from "../lib/storefront/chat-turn.server";
import { jsonError } from "../lib/storefront/http";
import { authorizeStream, preflight } from "../lib/storefront/session.server";

// The app's own origin: POST /proxy/stream?shop=… with the chat token from /apps/aisle/session.
// CORS is answered only for the shop's storefront origin bound into the token (docs/decisions/070).
export async function action({ request, context }: ActionFunctionArgs) {
  const { storefront } = context.services;
  const authorized = await authorizeStream(storefront.token, storefront.chat.shops, request);
  if (authorized instanceof Response) return authorized;
  return handleChatTurn(storefront.chat, {
    shop: authorized.claims.shop,
    customerId: authorized.claims.customerId,
    fixedVisitorId: authorized.claims.visitorId,
    request,
    // Straight from the shopper's browser: the socket (or what TRUSTED_PROXY_HOPS of our own proxies say).
    client: { via: "direct", socketAddress: context.socketAddress },
    headers: authorized.cors,
  });
}

// Remix hands OPTIONS (the CORS preflight) to the loader.
export function loader({ request, context }: LoaderFunctionArgs) {
  const { storefront } = context.services;
  if (request.method === "OPTIONS") return preflight(storefront.token, storefront.chat.shops, request);
  return jsonError(405, "method_not_allowed", "POST a chat message with a chat token.", { Allow: "POST, OPTIONS" });
}
