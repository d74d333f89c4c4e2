// The widget's contact form (human handoff, decision 124): bounded and validated like every storefront
// request, limited per visitor and per address, accepted only in the visitor's own conversation. The
// request goes to the handoff queue, which also announces it to Shopify Flow.
import type { NewHandoff } from "../handoff/handoffs.server";
import type { LimitSubject } from "./abuse-limits.server";
import { clientAddressKey, type ClientConnection, type StorefrontChatDeps } from "./chat-turn.server";
import { errorResponse, jsonError, readCappedJson, StorefrontRequestError } from "./http";
import { parseHandoff } from "./wire";

export interface HandoffQueue {
  create(input: NewHandoff): Promise<{ id: string } | null>;
}

export type HandoffRequestDeps = Pick<
  StorefrontChatDeps,
  "caps" | "limits" | "visitors" | "trustedProxyHops" | "log"
> & {
  handoffs: HandoffQueue;
};

export async function handleHandoffRequest(
  deps: HandoffRequestDeps,
  input: { shop: string; customerId: string | null; request: Request; client: ClientConnection },
): Promise<Response> {
  try {
    const body = parseHandoff(await readCappedJson(input.request, deps.caps.maxBodyBytes));
    // An id the app did not issue owns no conversation: refused before any counter or write.
    if (!deps.visitors.verify(input.shop, body.visitorId)) {
      throw new StorefrontRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    const subject: LimitSubject = {
      visitorKey: input.customerId ? `customer-${input.customerId}` : body.visitorId,
      addressKey: clientAddressKey(deps, input.request, input.client),
    };
    const decision = await deps.limits.admitHandoff(input.shop, subject);
    if (!decision.allowed) {
      deps.log.info({ shop: input.shop, scope: decision.scope, limit: decision.limit }, "handoff rate limit reached");
      return jsonError(
        429,
        "handoff_rate_limited",
        `Too many contact requests; try again in ${decision.retryAfterSeconds} seconds.`,
        { "Retry-After": String(decision.retryAfterSeconds) },
      );
    }
    const created = await deps.handoffs.create({
      shop: input.shop,
      visitorId: body.visitorId,
      customerId: input.customerId,
      conversationId: body.conversationId,
      reason: body.reason,
      email: body.email,
      message: body.message,
      consentText: body.consentText,
    });
    if (!created) {
      throw new StorefrontRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    deps.log.info({ shop: input.shop, handoff: created.id, reason: body.reason }, "handoff requested");
    return Response.json({ id: created.id }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
