// orders/create and orders/updated bodies → the figures Results keeps about an order (decision 112).
// Pure. Read from the raw text with the lossless parser (ids exceed 2^53). Only amounts, dates,
// product ids and Aisle's own note attributes are read: never the buyer, addresses or the note.
import { createHash } from "node:crypto";
import { z } from "zod";
import { numericId, ORDER_LINE_ITEM_FIELDS, parseWebhookBody, timestamp } from "../customers/webhook-payloads";
import { legacyId } from "../shopify/gid";
import { parseWebhookJson, validateWebhookBody } from "../shopify/webhook-payload-error";

/**
 * The cart attributes the widget writes (`/cart/update.js`) and orders carry as note_attributes.
 * Underscore-prefixed attributes are not shown to the shopper at checkout by Shopify themes.
 */
export const CONVERSATION_ATTRIBUTE = "_aisle_conversation";
export const GROUP_ATTRIBUTE = "_aisle_group";
export const VISITOR_GROUPS = ["assistant", "holdout"] as const;
export type VisitorGroup = (typeof VISITOR_GROUPS)[number];
/** What a conversation id looks like on the wire: anything else in the attribute is ignored. */
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface OrderLineFacts {
  /** Numeric product id; null for custom lines. */
  productId: string | null;
  title: string;
  quantity: number;
  /** Line price × quantity less the line's discounts, in hundredths of the shop currency. */
  amountMinor: number;
}

export interface OrderFacts {
  orderId: string;
  /** "#1001": how the merchant finds the order in the Shopify admin. */
  name: string;
  placedAt: Date;
  /** updated_at (else created_at): the newest version wins. */
  updatedAt: Date;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  cancelledAt: Date | null;
  /** From note_attributes, as written: verified against the conversations before it counts. */
  conversationId: string | null;
  group: VisitorGroup | null;
  lines: OrderLineFacts[];
}

/**
 * "404.95" → 40495: hundredths of the unit, from the text (no binary floating point). A third decimal
 * (KWD, BHD…) is rounded half up.
 */
export function minorUnits(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, units, fraction = ""] = match;
  const padded = (fraction + "000").slice(0, 3);
  const value = Number(units) * 100 + Math.floor(Number(padded) / 10) + (Number(padded[2]) >= 5 ? 1 : 0);
  return sign ? -value : value;
}

const amount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return minorUnits(String(value));
  } catch {
    ctx.addIssue({ code: "custom", message: "not an amount" });
    return z.NEVER;
  }
});
const money = z.object({ shop_money: z.object({ amount, currency_code: z.string().min(3) }) });
const orderSchema = z.object({
  id: numericId,
  name: z.string().min(1),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  currency: z.string().min(3),
  presentment_currency: z.string().nullish(),
  total_price: amount,
  total_price_set: money.nullish(),
  note_attributes: z
    .array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).nullish() }))
    .nullish(),
  line_items: z
    .array(
      z.object({
        ...ORDER_LINE_ITEM_FIELDS,
        price: amount,
        price_set: money.nullish(),
        total_discount: amount.nullish(),
        total_discount_set: money.nullish(),
      }),
    )
    .default([]),
  refunds: z
    .array(
      z.object({
        transactions: z
          .array(
            z.object({
              kind: z.string().nullish(),
              status: z.string().nullish(),
              amount: amount,
              currency: z.string().nullish(),
            }),
          )
          .default([]),
      }),
    )
    .nullish(),
});

/** An attribute's value, when the order carries it. */
function attribute(body: z.output<typeof orderSchema>, name: string): string | null {
  const found = body.note_attributes?.find((entry) => entry.name === name);
  return found?.value === null || found?.value === undefined ? null : String(found.value).trim();
}

export function orderFactsFromWebhook(raw: string): OrderFacts {
  const topic = "orders/create|updated";
  const body = validateWebhookBody(topic, orderSchema, parseWebhookJson(topic, raw, parseWebhookBody));
  const total = body.total_price_set?.shop_money.amount ?? body.total_price;
  const currency = body.total_price_set?.shop_money.currency_code ?? body.currency;
  // Refund transactions are in the currency the buyer paid (presentment); scale them to the shop's.
  const presentmentTotal = body.total_price;
  const toShop = (value: number, txCurrency: string | null | undefined) =>
    !txCurrency || txCurrency === currency || presentmentTotal === 0
      ? value
      : Math.round((value * total) / presentmentTotal);
  const refundedMinor = (body.refunds ?? [])
    .flatMap((refund) => refund.transactions)
    .filter((tx) => (tx.kind ?? "refund") === "refund" && (tx.status ?? "success") === "success")
    .reduce((sum, tx) => sum + toShop(tx.amount, tx.currency), 0);
  const conversationId = attribute(body, CONVERSATION_ATTRIBUTE);
  const group = attribute(body, GROUP_ATTRIBUTE);
  return {
    orderId: body.id,
    name: body.name,
    placedAt: body.processed_at ?? body.created_at,
    updatedAt: body.updated_at ?? body.created_at,
    currency,
    totalMinor: total,
    refundedMinor: Math.min(refundedMinor, total),
    cancelledAt: body.cancelled_at ?? null,
    conversationId: conversationId && CONVERSATION_ID.test(conversationId) ? conversationId : null,
    group: VISITOR_GROUPS.find((known) => known === group) ?? null,
    lines: body.line_items.map((line) => {
      const price = line.price_set?.shop_money.amount ?? line.price;
      const discount = line.total_discount_set?.shop_money.amount ?? line.total_discount ?? 0;
      return {
        productId: line.product_id ?? null,
        title: line.title ?? line.name ?? "",
        quantity: line.quantity,
        amountMinor: Math.max(0, price * line.quantity - discount),
      };
    }),
  };
}

/** The lines of products the assistant had shown (or that were added to the cart from its cards). */
export function chatLines(lines: OrderLineFacts[], shownProductIds: Iterable<string>): OrderLineFacts[] {
  const shown = new Set([...shownProductIds].map(legacyId));
  return lines.filter((line) => line.productId !== null && shown.has(line.productId) && line.quantity > 0);
}

/** Stable digest of the facts: the same content delivered again (another webhook id) changes nothing. */
export function factsHash(facts: OrderFacts): string {
  return createHash("sha256").update(JSON.stringify(facts)).digest("hex");
}

/** Facts as a job input (JSON) and back, with the dates restored. */
export function encodeFacts(facts: OrderFacts): string {
  return JSON.stringify(facts);
}

export function decodeFacts(json: string): OrderFacts {
  const parsed = JSON.parse(json) as OrderFacts & { placedAt: string; updatedAt: string; cancelledAt: string | null };
  return {
    ...parsed,
    placedAt: new Date(parsed.placedAt),
    updatedAt: new Date(parsed.updatedAt),
    cancelledAt: parsed.cancelledAt ? new Date(parsed.cancelledAt) : null,
  };
}
