// Applies an order's facts (order-facts.ts) to OrderAttribution, run by the order jobs (decision 108)
// in the shop's event order. Newest wins by Shopify's updated_at; the same content again changes
// nothing; at an equal updated_at refunds only grow and a cancellation stays (deliveries of one
// second can arrive in any order). An order is assisted only when the conversation its attribute
// names exists in this shop: attributes are written by the storefront, so anyone can forge one.
import type { PrismaClient } from "@prisma/client";
import type { CustomerStore } from "../customers/types";
import { chatLines, factsHash, type OrderFacts, type OrderLineFacts } from "./order-facts";

/** Product ids (GIDs or numeric) the assistant showed or added to the cart in a conversation; null: no such conversation. */
export type ConversationProducts = (shop: string, conversationId: string) => Promise<string[] | null>;

/** From the customer store (Prisma or Appwrite): the assistant's recommended products and the cards added to the cart. */
export function conversationProductsFrom(
  store: Pick<CustomerStore, "getConversation" | "listMessages" | "listCartEvents">,
): ConversationProducts {
  return async (shop, conversationId) => {
    if (!(await store.getConversation(shop, conversationId))) return null;
    const [messages, cartEvents] = await Promise.all([
      store.listMessages(shop, conversationId, Number.MAX_SAFE_INTEGER),
      store.listCartEvents(shop, conversationId),
    ]);
    return [...messages.flatMap((message) => message.productIds), ...cartEvents.map((event) => event.productId)];
  };
}

export type AttributionOutcome = "assisted" | "unassisted" | "unchanged" | "stale";

export class OrderAttributions {
  constructor(
    private readonly db: PrismaClient,
    private readonly conversationProducts: ConversationProducts,
  ) {}

  async apply(shop: string, facts: OrderFacts): Promise<AttributionOutcome> {
    const where = { shop_orderId: { shop, orderId: facts.orderId } };
    const existing = await this.db.orderAttribution.findUnique({ where });
    const hash = factsHash(facts);
    if (existing) {
      if (facts.updatedAt < existing.sourceUpdatedAt) return "stale";
      if (existing.contentHash === hash) return "unchanged";
    }
    const tie = existing !== null && facts.updatedAt.getTime() === existing.sourceUpdatedAt.getTime();
    let conversationId: string | null = null;
    let lines: OrderLineFacts[] = [];
    const shown = facts.conversationId ? await this.conversationProducts(shop, facts.conversationId) : null;
    if (facts.conversationId && shown) {
      conversationId = facts.conversationId;
      lines = chatLines(facts.lines, shown);
    } else if (existing?.conversationId) {
      // The conversation was verified before and has since been purged (chat retention): keep it.
      conversationId = existing.conversationId;
      lines = JSON.parse(existing.chatLinesJson) as OrderLineFacts[];
    }
    const refundedMinor = tie ? Math.max(facts.refundedMinor, Number(existing.refundedMinor)) : facts.refundedMinor;
    const cancelledAt = tie ? (facts.cancelledAt ?? existing.cancelledAt) : facts.cancelledAt;
    const data = {
      name: facts.name,
      placedAt: facts.placedAt,
      currency: facts.currency,
      totalMinor: BigInt(facts.totalMinor),
      refundedMinor: BigInt(refundedMinor),
      cancelledAt,
      conversationId,
      visitorGroup: facts.group ?? existing?.visitorGroup ?? null,
      chatLinesJson: JSON.stringify(lines),
      sourceUpdatedAt: facts.updatedAt,
      contentHash: hash,
    };
    await this.db.orderAttribution.upsert({
      where,
      create: { shop, orderId: facts.orderId, ...data },
      update: data,
    });
    return conversationId ? "assisted" : "unassisted";
  }

  /** shop/redact: every figure of the shop. */
  async deleteShop(shop: string): Promise<number> {
    const [orders, counts] = await this.db.$transaction([
      this.db.orderAttribution.deleteMany({ where: { shop } }),
      this.db.resultsDailyCount.deleteMany({ where: { shop } }),
    ]);
    return orders.count + counts.count;
  }

  /** customers/redact: the customer's orders Shopify names (orders_to_redact); rows name no customer otherwise. */
  async redactOrders(shop: string, orderIds: string[]): Promise<number> {
    if (!orderIds.length) return 0;
    const { count } = await this.db.orderAttribution.deleteMany({ where: { shop, orderId: { in: orderIds } } });
    return count;
  }
}
