// The widget's Add to cart, recorded in the visitor's own conversation (the cart itself is changed by
// the storefront's /cart/add.js).
import { errorResponse, readCappedJson, StorefrontRequestError } from "./http";
import type { StorefrontChatDeps } from "./chat-turn.server";
import { parseCartEvent } from "./wire";

/** Records an Add to cart pressed on a card, in the visitor's own conversation only. */
export async function handleCartEvent(
  deps: Pick<StorefrontChatDeps, "conversations" | "caps">,
  input: { shop: string; request: Request; fixedVisitorId?: string },
): Promise<Response> {
  try {
    const event = parseCartEvent(await readCappedJson(input.request, deps.caps.maxBodyBytes));
    const { visitorId, conversationId, productId, variantId } = event;
    if (input.fixedVisitorId && visitorId !== input.fixedVisitorId) {
      throw new StorefrontRequestError(403, "visitor_mismatch", "This chat token belongs to another visitor.");
    }
    const owner = await deps.conversations.conversationOwner(input.shop, conversationId);
    if (owner?.visitorId !== visitorId) {
      throw new StorefrontRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    await deps.conversations.recordAddToCart({ shop: input.shop, conversationId, productId, variantId });
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
