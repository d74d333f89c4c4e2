// What the widget (extensions/chat-widget/assets/aisle-chat.js) sends and reads: request schemas,
// and product cards built from the answer engine's products. Ids are GIDs inside the app; the wire
// carries numeric ids (what /cart/add.js wants), converted here and nowhere else.
import { z } from "zod";
import type { SourceReference } from "../chat/knowledge-answer";
import type { ProductReference } from "../chat/types";
import type { BackfillFilter } from "../search/query-parser";
import { legacyId, productGid, shopifyGid } from "../shopify/gid";
import { StorefrontRequestError } from "./http";
import { visitorIdSchema } from "./visitor-id";

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
  /** A close match's missing filter: the card says it is not quite what was asked. */
  misses?: BackfillFilter;
}

const conversationIdSchema = z.string().min(1).max(128).nullish();

const chatBodySchema = z.object({
  message: z.string(),
  // The server-issued id the widget keeps; absent (a first visit through the proxy) = a new one is issued.
  visitorId: visitorIdSchema.nullish(),
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
  /** What happened on a chat card: an add to cart (default) or a click through to the product. */
  event: z.enum(["add_to_cart", "product_click"]).default("add_to_cart"),
});

export interface ChatTurnInput {
  message: string;
  /** As the client sent it: checked (and replaced when not issued by the app) by the turn. */
  visitorId: string | null;
  conversationId: string | null;
  currency: string | null;
  locale: string | null;
}

export function parseChatTurn(body: unknown, maxMessageChars: number): ChatTurnInput {
  const parsed = chatBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new StorefrontRequestError(
      400,
      "invalid_request",
      parsed.error.issues.map((issue) => issue.message).join("; "),
    );
  }
  const message = parsed.data.message.trim();
  if (!message) throw new StorefrontRequestError(400, "empty_message", "The message is empty.");
  // UTF-16 length, as the answer engine counts (CHAT_MAX_INPUT_CHARS).
  if (message.length > maxMessageChars) {
    throw new StorefrontRequestError(413, "message_too_long", `Messages are limited to ${maxMessageChars} characters.`);
  }
  return {
    message,
    visitorId: parsed.data.visitorId ?? null,
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
 * An answer's product → the card the widget renders (every indexed variant, so the shopper can
 * choose), or null when it cannot be linked safely. The link is built from the handle alone.
 */
export function toWidgetCard(product: ProductReference): WidgetProductCard | null {
  if (!SAFE_HANDLE.test(product.handle)) return null;
  let variants = product.variants.length ? product.variants : product.variant ? [product.variant] : [];
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
    ...(product.misses ? { misses: product.misses } : {}),
  };
}

// The handoff form: bounded text, a plausible email, the consent the shopper ticked and its wording.
const handoffBodySchema = z.object({
  visitorId: visitorIdSchema,
  conversationId: z.string().min(1).max(128),
  reason: z.enum(["asked_for_person", "could_not_help"]),
  email: z.string().trim().max(254).email("Enter a valid email address."),
  message: z.string().trim().min(1, "Write a message for the store.").max(2000, "The message is too long."),
  consent: z.literal(true, { message: "Agree to be contacted to send the message." }),
  consentText: z.string().trim().min(1).max(500),
});

export type HandoffInput = z.infer<typeof handoffBodySchema>;

export function parseHandoff(body: unknown): HandoffInput {
  const parsed = handoffBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StorefrontRequestError(
      400,
      `invalid_${String(issue?.path[0] ?? "request")}`,
      issue?.message ?? "invalid",
    );
  }
  return parsed.data;
}

export interface CartEventInput {
  visitorId: string;
  conversationId: string;
  /** GIDs: the wire's numeric ids converted on the way in. */
  productId: string;
  variantId: string | null;
  event: "add_to_cart" | "product_click";
}

export function parseCartEvent(body: unknown): CartEventInput {
  const parsed = cartEventSchema.safeParse(body);
  if (!parsed.success) {
    throw new StorefrontRequestError(400, "invalid_request", parsed.error.issues[0]?.message ?? "invalid");
  }
  const { visitorId, conversationId, productId, variantId, event } = parsed.data;
  return {
    event,
    visitorId,
    conversationId,
    productId: productGid(productId),
    variantId: variantId ? shopifyGid("ProductVariant", variantId) : null,
  };
}

export interface WidgetSource {
  title: string;
  kind: SourceReference["kind"];
  /** The storefront's own /policies/… or /pages/… path; null when the source has no page (Q&A). */
  path: string | null;
}

const SOURCE_PATH = /^\/(policies|pages)\/[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The quoted sources as the widget lists them: one link per page, however many of its passages were quoted. */
export function toWidgetSources(sources: SourceReference[]): WidgetSource[] {
  const seen = new Set<string>();
  return sources.map(toWidgetSource).filter((source) => {
    const key = `${source.kind}|${source.title}|${source.path ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A quoted source as the widget shows it: only a policy or page path of the shop's own storefront is a link. */
export function toWidgetSource(source: SourceReference): WidgetSource {
  return {
    title: source.title,
    kind: source.kind,
    path: source.url && SOURCE_PATH.test(source.url) ? source.url : null,
  };
}
