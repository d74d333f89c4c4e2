// The widget's Add to cart, recorded in the visitor's own conversation (the cart itself is changed by
// the storefront's /cart/add.js). Limited per visitor and per client address like chat messages (its
// own counters), and it reads only the conversation's owner row, never its messages.
import type { LimitSubject } from "./abuse-limits.server";
import { clientAddressKey, type ClientConnection, type StorefrontChatDeps } from "./chat-turn.server";
import { errorResponse, jsonError, readCappedJson, StorefrontRequestError } from "./http";
import { parseCartEvent } from "./wire";

/** Records an Add to cart pressed on a card (or a click through to its product), in the visitor's own conversation only. */
export async function handleCartEvent(
  deps: Pick<
    StorefrontChatDeps,
    "conversations" | "caps" | "limits" | "visitors" | "trustedProxyHops" | "log" | "funnel"
  >,
  input: { shop: string; request: Request; client: ClientConnection; fixedVisitorId?: string },
): Promise<Response> {
  try {
    const event = parseCartEvent(await readCappedJson(input.request, deps.caps.maxBodyBytes));
    const { visitorId, conversationId, productId, variantId } = event;
    if (input.fixedVisitorId && visitorId !== input.fixedVisitorId) {
      throw new StorefrontRequestError(403, "visitor_mismatch", "This chat token belongs to another visitor.");
    }
    // An id the app did not issue owns no conversation: refused before any counter or read.
    if (!deps.visitors.verify(input.shop, visitorId)) {
      throw new StorefrontRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    const subject: LimitSubject = {
      visitorKey: visitorId,
      addressKey: clientAddressKey(deps, input.request, input.client),
    };
    const decision = await deps.limits.admitCartEvent(input.shop, subject);
    if (!decision.allowed) {
      deps.log.info(
        { shop: input.shop, scope: decision.scope, limit: decision.limit },
        "cart event rate limit reached",
      );
      return jsonError(
        429,
        "cart_events_rate_limited",
        `Too many cart events; try again in ${decision.retryAfterSeconds} seconds.`,
        {
          "Retry-After": String(decision.retryAfterSeconds),
        },
      );
    }
    const owner = await deps.conversations.conversationOwner(input.shop, conversationId);
    if (owner?.visitorId !== visitorId) {
      throw new StorefrontRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    // Only shoppers who see the assistant can chat: every chat card event is the assistant group's.
    if (event.event === "add_to_cart")
      await deps.conversations.recordAddToCart({ shop: input.shop, conversationId, productId, variantId });
    await deps.funnel.add(input.shop, event.event, "assistant");
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
