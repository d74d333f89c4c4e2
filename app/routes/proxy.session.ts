import type { ActionFunctionArgs } from "@remix-run/node";
import { errorResponse } from "../lib/storefront/http";
import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";
import { startChatSession } from "../lib/storefront/session.server";

// Storefront → POST /apps/aisle/session → here, signed by Shopify: mints the short-lived chat
// token with which the widget streams answers from the app's own origin (docs/decisions/070).
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, storefront } = context.services;
  const shopper = await verifiedProxyShopper(shopify.authenticate, request);
  if (shopper instanceof Response) return shopper;
  try {
    return Response.json(await startChatSession(storefront.token, storefront.chat, shopper, request), {
      headers: { "Cache-Control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
