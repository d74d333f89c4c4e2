// One storefront chat turn, after the route has authenticated the shopper (App Proxy signature or
// chat token): size caps → rate limits → budget → conversation → the answer engine's events on the
// wire as server-sent events. Nothing reaches the model when a cap or a limit refuses the request.
import type { AnswerRequest, AnswerStyle, ChatEvent, ChatTurn, CustomerPromptFacts } from "../chat/types";
import type { CustomerContext } from "../customers/customer-context";
import { asksForPerson } from "../handoff/person-request";
import type { Logger } from "../logger.server";
import type { FunnelCounts } from "../results/funnel-counts.server";
import { productGid } from "../shopify/gid";
import type { AbuseLimits, LimitSubject } from "./abuse-limits.server";
import { clientAddress } from "./client-address";
import { errorResponse, jsonError, readCappedJson, sseFrame, SSE_HEADERS, StorefrontRequestError } from "./http";
import type { StorefrontShops } from "./session.server";
import type { VisitorIds } from "./signed-visitor-id.server";
import { parseChatTurn, toWidgetCard, toWidgetSources, type ChatTurnInput, type WidgetProductCard } from "./wire";

export type AnswerMode = "llm" | "retrieval-only";

/** What the transcript keeps for a turn the widget answered with the store's contact options. */
export const HANDOFF_NOTE = "(Offered the store's contact options: the shopper asked for a person.)";

/** A request for a person is answered without the engine: the widget shows the contact form. */
async function* handoffOffer(): AsyncIterable<ChatEvent> {
  yield { type: "done", source: "retrieval", citations: [], text: HANDOFF_NOTE };
}

/** What the turn needs of the answer engine (app/lib/chat/answer-engine.server.ts). */
export interface AnswerEngine {
  answer(request: AnswerRequest): AsyncIterable<ChatEvent>;
}

/** The customer-store features the endpoint uses (app/lib/customers CustomerService). */
export interface ChatConversations {
  openConversation(input: {
    shop: string;
    visitorId: string;
    customerId: string | null;
    conversationId?: string | null;
  }): Promise<{ id: string }>;
  appendMessage(input: {
    shop: string;
    conversationId: string;
    role: "user" | "assistant";
    text: string;
    productIds?: string[];
  }): Promise<unknown>;
  lastTurns(
    shop: string,
    conversationId: string,
    limit?: number,
  ): Promise<{ role: string; text: string; productIds?: string[] }[]>;
  getCustomerContext(shop: string, customerId: string | null): Promise<CustomerContext | null>;
  conversationOwner(shop: string, conversationId: string): Promise<{ visitorId: string } | null>;
  recordAddToCart(input: {
    shop: string;
    conversationId: string;
    productId: string;
    variantId?: string | null;
  }): Promise<unknown>;
}

export interface StorefrontChatDeps {
  /** One engine; the model is switched off per turn once the shop's token budget is spent. */
  engine: AnswerEngine;
  /** Results' storefront funnel: conversations started, card clicks and adds to cart (decision 112). */
  funnel: Pick<FunnelCounts, "add">;
  /** The shop's holdout share in percent (assistant settings; decision 113). */
  holdoutPercent: (shop: string) => Promise<number>;
  conversations: ChatConversations;
  limits: AbuseLimits;
  /** Issues and checks visitor ids, and keys client addresses (decision 105). */
  visitors: VisitorIds;
  /** Install state and known storefront origins of a shop (the session and the direct stream). */
  shops: StorefrontShops;
  /** Proxies of our own in front of the app whose X-Forwarded-For entry is trusted (TRUSTED_PROXY_HOPS). */
  trustedProxyHops: number;
  caps: { maxBodyBytes: number; maxMessageChars: number };
  log: Logger;
  /** The shop's assistant voice (dashboard settings); the engine's defaults when absent. */
  answerStyle?: (shop: string) => Promise<AnswerStyle>;
}

/** The customer facts the engine puts into its prompt: flat values only, nothing it does not need. */
// Only what an answer can use goes to the model provider: the latest order's state ("where is my
// order?") and what the shopper bought (for "what goes with my jacket?"). Never the name, the
// merchant's internal customer tags or the order count (decision 080).
export function customerFacts(context: CustomerContext | null): CustomerPromptFacts | null {
  if (!context) return null;
  const latest = context.latestOrder;
  return {
    latestOrder: latest
      ? `${latest.orderName} placed ${latest.placedAt.slice(0, 10)}: ${latest.status.replaceAll("_", " ")}`
      : null,
    recentPurchases: context.purchases.flatMap((order) => order.products.map((product) => product.title)).slice(0, 10),
  };
}

/** How a request reached the app: through Shopify's App Proxy (one more proxy hop), or straight. */
export interface ClientConnection {
  via: "app-proxy" | "direct";
  /** The TCP peer's address (server.mjs puts it in the load context). */
  socketAddress: string | null | undefined;
}

/** The key the client's address is limited under: the App Proxy's X-Forwarded-For entry, or the socket. */
export function clientAddressKey(
  deps: Pick<StorefrontChatDeps, "visitors" | "trustedProxyHops">,
  request: Request,
  client: ClientConnection,
): string {
  const address = clientAddress({
    forwardedFor: request.headers.get("x-forwarded-for"),
    socketAddress: client.socketAddress,
    trustedHops: deps.trustedProxyHops + (client.via === "app-proxy" ? 1 : 0),
  });
  return deps.visitors.addressKey(address);
}

/**
 * One chat turn, after authentication: size caps → rate limits → budget → conversation → the engine's
 * events as SSE. Nothing reaches the model when a cap or a limit refuses the request.
 */
export async function handleChatTurn(
  deps: StorefrontChatDeps,
  input: {
    shop: string;
    customerId: string | null;
    request: Request;
    client: ClientConnection;
    /** The visitor a chat token was issued for (the direct stream): the body may not name another. */
    fixedVisitorId?: string;
    headers?: HeadersInit;
  },
): Promise<Response> {
  const extraHeaders = input.headers ?? {};
  let turn: ChatTurnInput;
  try {
    turn = parseChatTurn(await readCappedJson(input.request, deps.caps.maxBodyBytes), deps.caps.maxMessageChars);
    // A token-bound visitor cannot be swapped for another in the body.
    if (input.fixedVisitorId && turn.visitorId !== input.fixedVisitorId) {
      throw new StorefrontRequestError(403, "visitor_mismatch", "This chat token belongs to another visitor.");
    }
  } catch (error) {
    return errorResponse(error, extraHeaders);
  }
  const { shop, customerId } = input;
  const log = deps.log.child({ shop, component: "chat-endpoint" });

  // Only ids the app issued (for this shop) count: anything else is replaced, never trusted, so a
  // client cannot pick the key its limits are counted under. A chat token's visitor was checked
  // when the token was issued.
  const visitorId = input.fixedVisitorId ?? deps.visitors.verifiedOrNew(shop, turn.visitorId).visitorId;
  // A logged-in customer is limited as one visitor across devices.
  const subject: LimitSubject = {
    visitorKey: customerId ? `customer-${customerId}` : visitorId,
    addressKey: clientAddressKey(deps, input.request, input.client),
  };
  const decision = await deps.limits.admitMessage(shop, subject);
  if (!decision.allowed) {
    log.info({ scope: decision.scope, limit: decision.limit }, "chat rate limit reached");
    return jsonError(
      429,
      decision.scope === "visitor"
        ? "visitor_rate_limited"
        : decision.scope === "ip"
          ? "ip_rate_limited"
          : "shop_rate_limited",
      `Too many messages; try again in ${decision.retryAfterSeconds} seconds.`,
      { ...Object.fromEntries(new Headers(extraHeaders)), "Retry-After": String(decision.retryAfterSeconds) },
    );
  }

  let mode: AnswerMode = (await deps.limits.modelAllowed(shop)) ? "llm" : "retrieval-only";
  const conversation = await deps.conversations.openConversation({
    shop,
    visitorId,
    customerId,
    conversationId: turn.conversationId,
  });
  if (conversation.id !== turn.conversationId) await deps.funnel.add(shop, "conversation", "assistant");
  const [history, customer] = await Promise.all([
    deps.conversations.lastTurns(shop, conversation.id, 12),
    // Without its customer context (the customer store is down or slow) the turn is answered as for a
    // shopper whose orders are unknown, rather than not at all.
    deps.conversations.getCustomerContext(shop, customerId).catch((error: unknown) => {
      log.warn({ err: error }, "customer context unavailable; answering without it");
      return null;
    }),
  ]);
  await deps.conversations.appendMessage({ shop, conversationId: conversation.id, role: "user", text: turn.message });

  const abort = new AbortController();
  input.request.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (!abort.signal.aborted) controller.enqueue(encoder.encode(sseFrame(event, data)));
      };
      // The visitor id travels back: a replaced one is what the widget keeps from now on.
      send("conversation", { id: conversation.id, mode, visitorId });
      let text = "";
      const productIds: string[] = [];
      let failed = false;
      // Human handoff (decision 124): a request for a person never reaches the model; an answer that found
      // nothing counts as not helping, and the widget offers a person after two of those in a row.
      const personRequested = asksForPerson(turn.message);
      let helped = true;
      // What the answer stood on: a quoted policy or page, or a "we don't carry that" (decisions 125, 126).
      let quotedKnowledge = false;
      let notCarried = false;
      try {
        const style = await deps.answerStyle?.(shop);
        const events = personRequested
          ? handoffOffer()
          : deps.engine.answer({
              shop,
              message: turn.message,
              history: history
                .filter((message) => message.role === "user" || message.role === "assistant")
                .map((message): ChatTurn => ({
                  role: message.role as "user" | "assistant",
                  content: message.text,
                  products: (message.productIds ?? []).map((id) => ({ id: productGid(id) })),
                })),
              customer: customerFacts(customer),
              currency: turn.currency ?? undefined,
              locale: turn.locale ?? undefined,
              style,
              useModel: mode === "llm",
              // Every model call holds its tokens on the shop's, the app's, this visitor's and this address's ceilings.
              spend: {
                reserve: async (tokens) => {
                  const held = await deps.limits.reserveTokens(shop, subject, tokens);
                  if ("reservation" in held) return held.reservation;
                  log.info({ ceiling: held.refused, tokens }, "token ceiling reached; retrieval-only answer");
                  return null;
                },
              },
              signal: abort.signal,
            });
        for await (const event of events) {
          if (abort.signal.aborted) break;
          if (event.type === "products") {
            const shown = event.items
              .map((item) => ({ id: item.id, card: toWidgetCard(item) }))
              .filter((entry): entry is { id: string; card: WidgetProductCard } => entry.card !== null);
            productIds.push(...shown.map((entry) => entry.id));
            notCarried = Boolean(event.none);
            send("products", { products: shown.map((entry) => entry.card) });
          } else if (event.type === "sources") {
            // The store knowledge quoted: titles and storefront paths (decision 125).
            quotedKnowledge = event.items.length > 0;
            send("sources", { sources: toWidgetSources(event.items) });
          } else if (event.type === "text") {
            text += event.delta;
            send("text", { delta: event.delta });
          } else if (event.type === "replace") {
            // A guardrail tripped or the model failed mid-answer: the shown text is swapped, not appended.
            text = event.text;
            send("replace", { text: event.text });
          } else if (event.type === "done") {
            text = event.text;
            if (event.fallbackReason === "budget") mode = "retrieval-only";
            // Nothing found, a model answer withdrawn (about no product, or unsafe) or one citing no product:
            // the assistant did not help.
            const withdrawn = event.fallbackReason === "no_products" || event.fallbackReason === "guardrail";
            // So did an honest "we don't carry that" and a store question no policy or page covers.
            const uncovered = event.fallbackReason === "store_knowledge" && !quotedKnowledge;
            if (withdrawn || uncovered || notCarried || (event.source === "llm" && !event.citations.length)) {
              helped = false;
            }
          } else if (event.type === "error") {
            failed = true;
            log.warn({ code: event.code, message: event.message }, "answer engine refused the message");
            send("error", {
              code: event.code === "message_too_long" ? "message_too_long" : "answer_failed",
              retryable: event.code === "search_failed",
            });
          }
        }
      } catch (error) {
        failed = true;
        log.error({ err: error }, "chat turn failed");
        send("error", { code: "answer_failed", retryable: true });
      }
      // The answer is stored before "done" goes out: a shopper's next question then sees it as history.
      try {
        if (text.trim()) {
          await deps.conversations.appendMessage({
            shop,
            conversationId: conversation.id,
            role: "assistant",
            text,
            productIds: [...new Set(productIds)],
          });
        }
      } catch (error) {
        log.error({ err: error }, "could not record the assistant's answer");
      }
      if (personRequested) send("handoff", { reason: "asked_for_person" });
      if (!failed) send("done", { mode, helped });
      if (!abort.signal.aborted) controller.close();
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { ...SSE_HEADERS, ...Object.fromEntries(new Headers(extraHeaders)) },
  });
}
