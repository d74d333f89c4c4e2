// CustomerStore on the app's own database (SQLite by default, Postgres in production): the default
// backend, nothing to set up beyond the migrations.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { decodeCursor, encodeCursor, parseFulfillments, parseJsonArray } from "./store-codec";
import type {
  CartEvent,
  ChatMessage,
  Conversation,
  CustomerProfile,
  CustomerStore,
  DataExportRecord,
  MarketingConsent,
  MessageRole,
  NewCartEvent,
  NewConversation,
  NewMessage,
  OrderSummary,
  Page,
  RecordCounts,
  RecordScope,
} from "./types";
import { CustomerStoreError } from "./types";
import { isUniqueViolation } from "../db/prisma-errors";

type ConversationRow = Prisma.ConversationGetPayload<object>;

const toCartEvent = (row: Prisma.ConversationCartEventGetPayload<object>): CartEvent => ({
  id: row.id,
  conversationId: row.conversationId,
  shop: row.shop,
  productId: row.productId,
  variantId: row.variantId,
  createdAt: row.createdAt,
});

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  shop: row.shop,
  visitorId: row.visitorId,
  customerId: row.customerId,
  startedAt: row.startedAt,
  lastMessageAt: row.lastMessageAt,
  messageCount: row.messageCount,
});

const toMessage = (row: Prisma.ConversationMessageGetPayload<object>): ChatMessage => ({
  id: row.id,
  conversationId: row.conversationId,
  shop: row.shop,
  position: row.position,
  role: row.role as MessageRole,
  text: row.text,
  productIds: parseJsonArray<string>(row.productIdsJson),
  createdAt: row.createdAt,
});

export class PrismaCustomerStore implements CustomerStore {
  readonly kind = "prisma" as const;

  constructor(private readonly db: PrismaClient) {}

  /**
   * Newest-wins upsert without a read-then-write race: a conditional update (only when the stored
   * version is not newer), else an insert; an insert that collides means another writer got there
   * first, so the conditional update decides again.
   */
  private async writeIfNewer(
    updateIfNotNewer: () => Promise<{ count: number }>,
    insert: () => Promise<unknown>,
  ): Promise<"written" | "stale"> {
    if ((await updateIfNotNewer()).count) return "written";
    try {
      await insert();
      return "written";
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The row exists after all: written concurrently (decide again) or newer than ours (stale).
      return (await updateIfNotNewer()).count ? "written" : "stale";
    }
  }

  async ready(): Promise<void> {
    // The tables come from the migrations; a cheap query proves they exist.
    await this.db.customerProfile.count({ where: { shop: "" } });
  }

  async ping(): Promise<string> {
    await this.ready();
    return "the app database";
  }

  async upsertCustomer(profile: CustomerProfile): Promise<"written" | "stale"> {
    const data = {
      firstName: profile.firstName,
      tagsJson: JSON.stringify(profile.tags),
      orderCount: profile.orderCount,
      marketingConsent: profile.marketingConsent,
      sourceUpdatedAt: profile.sourceUpdatedAt,
    };
    const key = { shop: profile.shop, customerId: profile.customerId };
    return this.writeIfNewer(
      () =>
        this.db.customerProfile.updateMany({
          where: { ...key, sourceUpdatedAt: { lte: profile.sourceUpdatedAt } },
          data,
        }),
      () => this.db.customerProfile.create({ data: { ...key, ...data } }),
    );
  }

  async getCustomer(shop: string, customerId: string): Promise<CustomerProfile | null> {
    const row = await this.db.customerProfile.findUnique({ where: { shop_customerId: { shop, customerId } } });
    if (!row) return null;
    return {
      shop: row.shop,
      customerId: row.customerId,
      firstName: row.firstName,
      tags: parseJsonArray<string>(row.tagsJson),
      orderCount: row.orderCount,
      marketingConsent: row.marketingConsent as MarketingConsent,
      sourceUpdatedAt: row.sourceUpdatedAt,
    };
  }

  async deleteCustomer(shop: string, customerId: string): Promise<number> {
    return (await this.db.customerProfile.deleteMany({ where: { shop, customerId } })).count;
  }

  async upsertOrder(order: OrderSummary): Promise<"written" | "stale"> {
    const data = {
      customerId: order.customerId,
      name: order.name,
      placedAt: order.placedAt,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      cancelledAt: order.cancelledAt,
      closedAt: order.closedAt,
      itemsJson: JSON.stringify(order.items),
      fulfillmentsJson: JSON.stringify(order.fulfillments),
      sourceUpdatedAt: order.sourceUpdatedAt,
    };
    const key = { shop: order.shop, orderId: order.orderId };
    return this.writeIfNewer(
      () =>
        this.db.customerOrder.updateMany({ where: { ...key, sourceUpdatedAt: { lte: order.sourceUpdatedAt } }, data }),
      () => this.db.customerOrder.create({ data: { ...key, ...data } }),
    );
  }

  async listOrders(shop: string, customerId: string, limit: number): Promise<OrderSummary[]> {
    const rows = await this.db.customerOrder.findMany({
      where: { shop, customerId },
      orderBy: [{ placedAt: "desc" }, { orderId: "desc" }],
      take: limit,
    });
    return rows.map((row) => ({
      shop: row.shop,
      orderId: row.orderId,
      customerId: row.customerId,
      name: row.name,
      placedAt: row.placedAt,
      financialStatus: row.financialStatus,
      fulfillmentStatus: row.fulfillmentStatus,
      cancelledAt: row.cancelledAt,
      closedAt: row.closedAt,
      items: parseJsonArray(row.itemsJson),
      fulfillments: parseFulfillments(row.fulfillmentsJson),
      sourceUpdatedAt: row.sourceUpdatedAt,
    }));
  }

  countOrders(shop: string, customerId: string): Promise<number> {
    return this.db.customerOrder.count({ where: { shop, customerId } });
  }

  async deleteCustomerOrders(shop: string, customerId: string): Promise<number> {
    return (await this.db.customerOrder.deleteMany({ where: { shop, customerId } })).count;
  }

  async createConversation(input: NewConversation): Promise<Conversation> {
    if (input.id) {
      const existing = await this.getConversation(input.shop, input.id);
      if (existing) return existing;
    }
    const row = await this.db.conversation.create({
      data: {
        id: input.id ?? randomUUID(),
        shop: input.shop,
        visitorId: input.visitorId,
        customerId: input.customerId,
        startedAt: input.at,
        lastMessageAt: input.at,
      },
    });
    return toConversation(row);
  }

  async getConversation(shop: string, conversationId: string): Promise<Conversation | null> {
    const row = await this.db.conversation.findFirst({ where: { id: conversationId, shop } });
    return row ? toConversation(row) : null;
  }

  async listConversations(
    shop: string,
    options: { limit: number; cursor?: string | null; customerId?: string },
  ): Promise<Page<Conversation>> {
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = await this.db.conversation.findMany({
      where: {
        shop,
        ...(options.customerId !== undefined ? { customerId: options.customerId } : {}),
        ...(after
          ? {
              OR: [{ lastMessageAt: { lt: after.at } }, { lastMessageAt: after.at, id: { lt: after.id } }],
            }
          : {}),
      },
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
    });
    const items = rows.slice(0, options.limit).map(toConversation);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.lastMessageAt, last.id) : null,
    };
  }

  async appendMessage(input: NewMessage): Promise<ChatMessage> {
    return this.db.$transaction(async (tx) => {
      if (input.id) {
        const existing = await tx.conversationMessage.findFirst({ where: { id: input.id, shop: input.shop } });
        if (existing) return toMessage(existing);
      }
      const conversation = await tx.conversation.findFirst({ where: { id: input.conversationId, shop: input.shop } });
      if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
      // The increment is the position: concurrent appends to one conversation still get distinct ones.
      const updated = await tx.conversation.update({
        where: { id: conversation.id },
        data: {
          messageCount: { increment: 1 },
          lastMessageAt: input.at > conversation.lastMessageAt ? input.at : conversation.lastMessageAt,
        },
      });
      const row = await tx.conversationMessage.create({
        data: {
          id: input.id ?? randomUUID(),
          conversationId: conversation.id,
          shop: input.shop,
          customerId: conversation.customerId,
          position: updated.messageCount,
          role: input.role,
          text: input.text,
          productIdsJson: JSON.stringify(input.productIds),
          createdAt: input.at,
        },
      });
      return toMessage(row);
    });
  }

  async listMessages(shop: string, conversationId: string, limit: number): Promise<ChatMessage[]> {
    const rows = await this.db.conversationMessage.findMany({
      where: { shop, conversationId },
      orderBy: { position: "desc" },
      take: limit,
    });
    return rows.reverse().map(toMessage);
  }

  async recordCartEvent(input: NewCartEvent): Promise<CartEvent> {
    const existing = input.id
      ? await this.db.conversationCartEvent.findFirst({ where: { id: input.id, shop: input.shop } })
      : null;
    if (existing) return toCartEvent(existing);
    const conversation = await this.db.conversation.findFirst({
      where: { id: input.conversationId, shop: input.shop },
      select: { customerId: true },
    });
    if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
    const row = await this.db.conversationCartEvent.create({
      data: {
        id: input.id ?? randomUUID(),
        conversationId: input.conversationId,
        shop: input.shop,
        customerId: conversation.customerId,
        productId: input.productId,
        variantId: input.variantId,
        createdAt: input.at,
      },
    });
    return toCartEvent(row);
  }

  async listCartEvents(shop: string, conversationId: string): Promise<CartEvent[]> {
    const rows = await this.db.conversationCartEvent.findMany({
      where: { shop, conversationId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toCartEvent);
  }

  async deleteConversationsBefore(cutoff: Date): Promise<number> {
    // Messages and cart events go with their conversation (ON DELETE CASCADE).
    return (await this.db.conversation.deleteMany({ where: { lastMessageAt: { lt: cutoff } } })).count;
  }

  async deleteDataExportsBefore(cutoff: Date): Promise<number> {
    return (await this.db.customerDataExport.deleteMany({ where: { createdAt: { lt: cutoff } } })).count;
  }

  async saveDataExport(record: Omit<DataExportRecord, "id">): Promise<DataExportRecord> {
    const row = await this.db.customerDataExport.upsert({
      where: { shop_requestId: { shop: record.shop, requestId: record.requestId } },
      create: { id: randomUUID(), ...record },
      update: { customerId: record.customerId, createdAt: record.createdAt, json: record.json },
    });
    return row;
  }

  async listDataExports(
    shop: string,
    options: { limit: number; cursor?: string | null },
  ): Promise<Page<DataExportRecord>> {
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = await this.db.customerDataExport.findMany({
      where: {
        shop,
        ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
    });
    const items = rows.slice(0, options.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  getDataExport(shop: string, id: string): Promise<DataExportRecord | null> {
    return this.db.customerDataExport.findFirst({ where: { shop, id } });
  }

  async deleteCustomerData(shop: string, customerId: string): Promise<RecordCounts> {
    return this.db.$transaction(async (tx) => ({
      // Children first so the counts are real (cascade would delete them silently).
      messages: (await tx.conversationMessage.deleteMany({ where: { shop, customerId } })).count,
      cartEvents: (await tx.conversationCartEvent.deleteMany({ where: { shop, customerId } })).count,
      conversations: (await tx.conversation.deleteMany({ where: { shop, customerId } })).count,
      orders: (await tx.customerOrder.deleteMany({ where: { shop, customerId } })).count,
      customers: (await tx.customerProfile.deleteMany({ where: { shop, customerId } })).count,
      dataExports: (await tx.customerDataExport.deleteMany({ where: { shop, customerId } })).count,
    }));
  }

  async deleteShopData(shop: string): Promise<RecordCounts> {
    return this.db.$transaction(async (tx) => ({
      messages: (await tx.conversationMessage.deleteMany({ where: { shop } })).count,
      cartEvents: (await tx.conversationCartEvent.deleteMany({ where: { shop } })).count,
      conversations: (await tx.conversation.deleteMany({ where: { shop } })).count,
      orders: (await tx.customerOrder.deleteMany({ where: { shop } })).count,
      customers: (await tx.customerProfile.deleteMany({ where: { shop } })).count,
      dataExports: (await tx.customerDataExport.deleteMany({ where: { shop } })).count,
    }));
  }

  async countRecords(scope: RecordScope): Promise<RecordCounts> {
    const where = { shop: scope.shop, ...(scope.customerId !== undefined ? { customerId: scope.customerId } : {}) };
    const [customers, orders, conversations, messages, cartEvents, dataExports] = await Promise.all([
      this.db.customerProfile.count({ where }),
      this.db.customerOrder.count({ where }),
      this.db.conversation.count({ where }),
      this.db.conversationMessage.count({ where }),
      this.db.conversationCartEvent.count({ where }),
      this.db.customerDataExport.count({ where }),
    ]);
    return { customers, orders, conversations, messages, cartEvents, dataExports };
  }
}
