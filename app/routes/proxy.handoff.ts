import type { ActionFunctionArgs } from "@remix-run/node";
import { verifiedProxyShopper } from "../lib/storefront/app-proxy.server";
import { handleHandoffRequest } from "../lib/storefront/handoff-request.server";

// Storefront → POST /apps/aisle/handoff → here: the chat's contact form (the shopper asked for a person).
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, storefront, handoffs } = context.services;
  const shopper = await verifiedProxyShopper(shopify.authenticate, request);
  if (shopper instanceof Response) return shopper;
  return handleHandoffRequest(
    { ...storefront.chat, handoffs },
    {
      shop: shopper.shop,
      customerId: shopper.customerId,
      request,
      client: { via: "app-proxy", socketAddress: context.socketAddress },
    },
  );
}
