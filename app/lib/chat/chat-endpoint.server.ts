// The storefront chat endpoint behind the App Proxy routes: size caps, rate limits, the daily
// token budget, the conversation record, and the answer engine's events put on the wire as
// server-sent events. Routes authenticate first and hand over only verified identities.
import { z } from "zod";
import { parseVariantsJson, type ProductMetadata, type VariantSummary } from "../catalog/product-document";
import { BodyTooLargeError, readLimitedBody } from "../http/read-limited-body.server";
import type { Logger } from "../logger.server";
import { legacyId, productGid } from "../shopify/gid";
import type { CustomerContext } from "../customers/customer-context";
import type { AbuseLimits } from "./abuse-limits.server";
import type { AnswerRequest, AnswerStyle, ChatEvent, ChatTurn, CustomerPromptFacts, ProductReference } from "./types";
import { visitorIdSchema } from "./visitor-id";

// ---- what the endpoint needs from the answer engine (app/lib/chat/answer-engine.server.ts) --------

export type AnswerMode = "llm" | "retrieval-only";

export interface AnswerEngine {
  answer(request: AnswerRequest): AsyncIterable<ChatEvent>;
}

/** The indexed products by id (ProductSearch.products): the cards' full variant lists. */
export interface ProductLookup {
  products(shop: string, ids: string[]): Promise<{ id: string; metadata: ProductMetadata }[]>;
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
  getConversation(shop: string, conversationId: string): Promise<{ conversation: { visitorId: string } } | null>;
  recordAddToCart(input: {
    shop: string;
    conversationId: string;
    productId: string;
    variantId?: string | null;
  }): Promise<unknown>;
}

export interface ChatEndpointDeps {
  /** The answer engine with the language model, and the same engine without it (retrieval-only). */
  engines: Record<AnswerMode, AnswerEngine>;
  catalog: ProductLookup;
  conversations: ChatConversations;
  limits: AbuseLimits;
  caps: { maxBodyBytes: number; maxMessageChars: number };
  log: Logger;
  /** The shop's assistant voice (dashboard settings); the engine's defaults when absent. */
  answerStyle?: (shop: string) => Promise<AnswerStyle>;
}

// ---- wire types (what assets/aisle-chat.js reads) --------------------------------------------------

export interface WidgetVariant {
  /** Numeric variant id, as /cart/add.js wants it. */
  id: string;
  title: string;
  price: string;
  compareAtPrice: string | null;
  available: boolean;
}

export interface WidgetProductCard {
  /** Numeric product id. */
  id: string;
  title: string;
  /** The storefront's own product path: /products/<handle>. Never a URL from model text. */
  path: string;
  imageUrl: string | null;
  imageAlt: string;
  available: boolean;
  variants: WidgetVariant[];
}

export class ChatRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ChatRequestError";
  }
}

const conversationIdSchema = z.string().min(1).max(128).nullish();

const chatBodySchema = z.object({
  message: z.string(),
  visitorId: visitorIdSchema,
  conversationId: conversationIdSchema,
  // What the storefront page says it shows (Liquid's cart.currency / request.locale): for wording only.
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .nullish(),
});

const cartEventSchema = z.object({
  visitorId: visitorIdSchema,
  conversationId: z.string().min(1).max(128),
  productId: z.string().regex(/^\d{1,20}$/),
  variantId: z
    .string()
    .regex(/^\d{1,20}$/)
    .nullish(),
});

/** A JSON body no larger than `maxBytes` (readLimitedBody), refused in the endpoint's error shape. */
export async function readCappedJson(request: Request, maxBytes: number): Promise<unknown> {
  let text: string;
  try {
    text = await readLimitedBody(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new ChatRequestError(413, "body_too_large", `The request body exceeds ${maxBytes} bytes.`);
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ChatRequestError(400, "invalid_json", "The request body must be JSON.");
  }
}

export interface ChatTurnInput {
  message: string;
  visitorId: string;
  conversationId: string | null;
  currency: string | null;
  locale: string | null;
}

export function parseChatTurn(body: unknown, maxMessageChars: number): ChatTurnInput {
  const parsed = chatBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ChatRequestError(400, "invalid_request", parsed.error.issues.map((issue) => issue.message).join("; "));
  }
  const message = parsed.data.message.trim();
  if (!message) throw new ChatRequestError(400, "empty_message", "The message is empty.");
  // UTF-16 length, as the answer engine counts (CHAT_MAX_INPUT_CHARS).
  if (message.length > maxMessageChars) {
    throw new ChatRequestError(413, "message_too_long", `Messages are limited to ${maxMessageChars} characters.`);
  }
  return {
    message,
    visitorId: parsed.data.visitorId,
    conversationId: parsed.data.conversationId ?? null,
    currency: parsed.data.currency ?? null,
    locale: parsed.data.locale ?? null,
  };
}

// Shopify handles are lowercase words joined by hyphens (letters of any script allowed).
const SAFE_HANDLE = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}-]*$/u;
const safeImageUrl = (value: string | null | undefined) => {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
};

/**
 * An answer's product → the card the widget renders (all variants from the index, so the shopper can
 * choose), or null when it cannot be linked safely. The link is built from the handle alone.
 */
export function toWidgetCard(product: ProductReference, metadata?: ProductMetadata): WidgetProductCard | null {
  if (!SAFE_HANDLE.test(product.handle)) return null;
  let variants: VariantSummary[] = metadata ? parseVariantsJson(metadata.variantsJson) : [];
  if (!variants.length && product.variant) variants = [product.variant];
  // The variant the engine chose for the question goes first (preselected in the widget).
  if (product.variant) {
    const chosen = product.variant.id;
    variants = [...variants.filter((v) => v.id === chosen), ...variants.filter((v) => v.id !== chosen)];
  }
  return {
    id: legacyId(product.id),
    title: product.title,
    path: `/products/${encodeURIComponent(product.handle)}`,
    imageUrl: safeImageUrl(product.imageUrl),
    imageAlt: product.title,
    available: product.available,
    variants: variants.map((variant) => ({
      id: legacyId(variant.id),
      title: variant.title,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      available: variant.available,
    })),
  };
}

/** The customer facts the engine puts into its prompt: flat values only, nothing it does not need. */
export function customerFacts(context: CustomerContext | null): CustomerPromptFacts | null {
  if (!context) return null;
  const latest = context.latestOrder;
  return {
    firstName: context.firstName,
    tags: context.tags,
    orderCount: context.orderCount,
    latestOrder: latest
      ? `${latest.orderName} placed ${latest.placedAt.slice(0, 10)}: ${latest.status.replaceAll("_", " ")}`
      : null,
    recentPurchases: context.purchases.flatMap((order) => order.products.map((product) => product.title)).slice(0, 10),
  };
}

const sseFrame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: intermediaries must not compress (and so buffer) the stream.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
} as const;

export function jsonError(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** The response for a refused request (ChatRequestError) or rethrows anything else. */
export function errorResponse(error: unknown, headers: HeadersInit = {}): Response {
  if (error instanceof ChatRequestError) return jsonError(error.status, error.code, error.message, headers);
  throw error;
}

/**
 * One chat turn, after authentication: size caps → rate limits → budget → conversation → the engine's
 * events as SSE. Nothing reaches the model when a cap or a limit refuses the request.
 */
export async function handleChatTurn(
  deps: ChatEndpointDeps,
  input: { shop: string; customerId: string | null; request: Request; fixedVisitorId?: string; headers?: HeadersInit },
): Promise<Response> {
  const extraHeaders = input.headers ?? {};
  let turn: ChatTurnInput;
  try {
    turn = parseChatTurn(await readCappedJson(input.request, deps.caps.maxBodyBytes), deps.caps.maxMessageChars);
    // A token-bound visitor cannot be swapped for another in the body.
    if (input.fixedVisitorId && turn.visitorId !== input.fixedVisitorId) {
      throw new ChatRequestError(403, "visitor_mismatch", "This chat token belongs to another visitor.");
    }
  } catch (error) {
    return errorResponse(error, extraHeaders);
  }
  const { shop, customerId } = input;
  const log = deps.log.child({ shop, component: "chat-endpoint" });

  // A logged-in customer is limited as one visitor across devices.
  const decision = await deps.limits.admitMessage(shop, customerId ? `customer-${customerId}` : turn.visitorId);
  if (!decision.allowed) {
    log.info({ scope: decision.scope, limit: decision.limit }, "chat rate limit reached");
    return jsonError(
      429,
      decision.scope === "visitor" ? "visitor_rate_limited" : "shop_rate_limited",
      `Too many messages; try again in ${decision.retryAfterSeconds} seconds.`,
      { ...Object.fromEntries(new Headers(extraHeaders)), "Retry-After": String(decision.retryAfterSeconds) },
    );
  }

  const mode: AnswerMode = (await deps.limits.modelAllowed(shop)) ? "llm" : "retrieval-only";
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
      let tokens = 0;
      let failed = false;
      try {
        const style = await deps.answerStyle?.(shop);
        const events = deps.engines[mode].answer({
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
          signal: abort.signal,
        });
        for await (const event of events) {
          if (abort.signal.aborted) break;
          if (event.type === "products") {
            const indexed = await deps.catalog.products(
              shop,
              event.items.map((item) => item.id),
            );
            const metadata = new Map(indexed.map((product) => [product.id, product.metadata]));
            const cards = event.items
              .map((item) => toWidgetCard(item, metadata.get(item.id)))
              .filter((card): card is WidgetProductCard => card !== null);
            productIds.push(...cards.map((card) => card.id));
            send("products", { products: cards });
          } else if (event.type === "text") {
            text += event.delta;
            send("text", { delta: event.delta });
          } else if (event.type === "replace") {
            // A guardrail tripped or the model failed mid-answer: the shown text is swapped, not appended.
            text = event.text;
            send("replace", { text: event.text });
          } else if (event.type === "done") {
            text = event.text;
            tokens = (event.usage?.inputTokens ?? 0) + (event.usage?.outputTokens ?? 0);
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
        if (tokens > 0) await deps.limits.recordTokens(shop, tokens);
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

/** Records an Add to cart pressed on a card, in the visitor's own conversation only. */
export async function handleCartEvent(
  deps: Pick<ChatEndpointDeps, "conversations" | "caps">,
  input: { shop: string; request: Request; fixedVisitorId?: string },
): Promise<Response> {
  try {
    const parsed = cartEventSchema.safeParse(await readCappedJson(input.request, deps.caps.maxBodyBytes));
    if (!parsed.success)
      throw new ChatRequestError(400, "invalid_request", parsed.error.issues[0]?.message ?? "invalid");
    const { visitorId, conversationId, productId, variantId } = parsed.data;
    if (input.fixedVisitorId && visitorId !== input.fixedVisitorId) {
      throw new ChatRequestError(403, "visitor_mismatch", "This chat token belongs to another visitor.");
    }
    const found = await deps.conversations.getConversation(input.shop, conversationId);
    if (!found || found.conversation.visitorId !== visitorId) {
      throw new ChatRequestError(404, "unknown_conversation", "No such conversation for this visitor.");
    }
    await deps.conversations.recordAddToCart({ shop: input.shop, conversationId, productId, variantId });
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
