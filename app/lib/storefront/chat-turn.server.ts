// One storefront chat turn, after the route has authenticated the shopper (App Proxy signature or
// chat token): size caps → rate limits → budget → conversation → the answer engine's events on the
// wire as server-sent events. Nothing reaches the model when a cap or a limit refuses the request.
import type { AnswerRequest, AnswerStyle, ChatEvent, ChatTurn, CustomerPromptFacts } from "../chat/types";
import type { CustomerContext } from "../customers/customer-context";
import type { Logger } from "../logger.server";
import { productGid } from "../shopify/gid";
import type { AbuseLimits } from "./abuse-limits.server";
import { errorResponse, jsonError, readCappedJson, sseFrame, SSE_HEADERS, StorefrontRequestError } from "./http";
import { parseChatTurn, toWidgetCard, type ChatTurnInput, type WidgetProductCard } from "./wire";

export type AnswerMode = "llm" | "retrieval-only";

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
  conversations: ChatConversations;
  limits: AbuseLimits;
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

/**
 * One chat turn, after authentication: size caps → rate limits → budget → conversation → the engine's
 * events as SSE. Nothing reaches the model when a cap or a limit refuses the request.
 */
export async function handleChatTurn(
  deps: StorefrontChatDeps,
  input: { shop: string; customerId: string | null; request: Request; fixedVisitorId?: string; headers?: HeadersInit },
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

  // A logged-in customer is limited as one visitor across devices.
  const visitorKey = customerId ? `customer-${customerId}` : turn.visitorId;
  const decision = await deps.limits.admitMessage(shop, visitorKey);
  if (!decision.allowed) {
    log.info({ scope: decision.scope, limit: decision.limit }, "chat rate limit reached");
    return jsonError(
      429,
      decision.scope === "visitor" ? "visitor_rate_limited" : "shop_rate_limited",
      `Too many messages; try again in ${decision.retryAfterSeconds} seconds.`,
      { ...Object.fromEntries(new Headers(extraHeaders)), "Retry-After": String(decision.retryAfterSeconds) },
    );
  }

  let mode: AnswerMode = (await deps.limits.modelAllowed(shop)) ? "llm" : "retrieval-only";
  const conversation = await deps.conversations.openConversation({
    shop,
    visitorId: turn.visitorId,
    customerId,
    conversationId: turn.conversationId,
  });
  const [history, customer] = await Promise.all([
    deps.conversations.lastTurns(shop, conversation.id, 12),
    deps.conversations.getCustomerContext(shop, customerId),
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
      send("conversation", { id: conversation.id, mode });
      let text = "";
      const productIds: string[] = [];
      let failed = false;
      try {
        const style = await deps.answerStyle?.(shop);
        const events = deps.engine.answer({
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
          // Every model call holds its tokens on the shop's, the app's and this visitor's ceilings.
          spend: {
            reserve: async (tokens) => {
              const held = await deps.limits.reserveTokens(shop, visitorKey, tokens);
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
            send("products", { products: shown.map((entry) => entry.card) });
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
      if (!failed) send("done", { mode });
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
