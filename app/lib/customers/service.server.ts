// The customer features over any CustomerStore: conversations for the chat endpoint, customer
// context for the answer engine, webhook intake, privacy (export / redact / shop deletion) and
// retention. The rules live here once, so both backends behave the same by construction.
import { createLogger, type Logger } from "../logger.server";
import {
  compliancePayloadFromWebhook,
  customerProfileFromWebhook,
  deletedCustomerIdFromWebhook,
  orderSummaryFromWebhook,
  WebhookPayloadError,
} from "./webhook-payloads";
import type {
  CartEvent,
  ChatMessage,
  Conversation,
  CustomerStore,
  DataExportRecord,
  MarketingConsent,
  MessageRole,
  OrderSummary,
  Page,
  RecordCounts,
} from "./types";
import { CustomerStoreError } from "./types";

export interface CustomerServiceOptions {
  /** Conversations whose last activity is older than this many days are deleted; 0 keeps them. */
  retentionDays: number;
  /** Defaults to the app logger. */
  logger?: Logger;
  now?: () => Date;
}

/** What the answer engine may tell the model about a verified logged-in customer (null = anonymous). */
export interface CustomerContext {
  customerId: string;
  firstName: string | null;
  tags: string[];
  orderCount: number;
  marketingConsent: MarketingConsent;
  /** The latest order with its shipping state ("where is my order?"), or null. */
  latestOrder: OrderStatus | null;
  /** Newest first, at most CONTEXT_ORDER_LIMIT orders. */
  purchases: {
    orderName: string;
    placedAt: string;
    status: string;
    products: { productId: string | null; title: string; quantity: number }[];
  }[];
}

/** "Where is my order?" for one customer's latest order. */
export interface OrderStatus {
  orderName: string;
  placedAt: string;
  /** One of: cancelled, delivered, out_for_delivery, in_transit, shipped, partially_shipped, refunded, processing. */
  status: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  tracking: { company: string | null; url: string | null; shipmentStatus: string | null }[];
  items: { productId: string | null; title: string; quantity: number }[];
}

export const CONTEXT_ORDER_LIMIT = 10;
const MAX_MESSAGE_CHARS = 8000;
const MAX_ID_CHARS = 128;
const EXPORT_FORMAT = "aisle.customer-data-export/1";
const PAGE_MAX = 100;

function requireText(what: string, value: string, max = MAX_ID_CHARS): string {
  if (typeof value !== "string" || !value.trim()) throw new CustomerStoreError(`${what} is required`);
  if (value.length > max) throw new CustomerStoreError(`${what} is longer than ${max} characters`);
  return value;
}

function requireCustomerId(value: string): string {
  if (!/^\d{1,20}$/.test(value))
    throw new CustomerStoreError(`customer id must be Shopify's numeric id, got "${value}"`);
  return value;
}

function pageLimit(limit: number | undefined): number {
  const value = limit ?? 20;
  if (!Number.isInteger(value) || value < 1 || value > PAGE_MAX) {
    throw new CustomerStoreError(`page limit must be an integer from 1 to ${PAGE_MAX}`);
  }
  return value;
}

/** The shopper-facing state of an order, most advanced fact first. */
export function orderStatusOf(order: OrderSummary): string {
  if (order.cancelledAt) return "cancelled";
  const shipments = order.fulfillments.filter((f) => f.status !== "cancelled" && f.status !== "failure");
  const shipmentStates = shipments.map((f) => f.shipmentStatus);
  if (shipments.length && shipmentStates.every((s) => s === "delivered") && order.fulfillmentStatus === "fulfilled") {
    return "delivered";
  }
  if (shipmentStates.includes("out_for_delivery")) return "out_for_delivery";
  if (shipmentStates.includes("in_transit")) return "in_transit";
  if (order.fulfillmentStatus === "fulfilled") return "shipped";
  if (order.fulfillmentStatus === "partial") return "partially_shipped";
  if (order.financialStatus === "refunded") return "refunded";
  return "processing";
}

function toOrderStatus(order: OrderSummary): OrderStatus {
  return {
    orderName: order.name,
    placedAt: order.placedAt.toISOString(),
    status: orderStatusOf(order),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    tracking: order.fulfillments
      .filter((f) => f.trackingCompany || f.trackingUrl || f.shipmentStatus)
      .map((f) => ({ company: f.trackingCompany, url: f.trackingUrl, shipmentStatus: f.shipmentStatus })),
    items: order.items,
  };
}

export function createCustomerService(store: CustomerStore, options: CustomerServiceOptions) {
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? createLogger("info").child({ component: "customers" });

  async function openConversation(input: {
    shop: string;
    visitorId: string;
    /** A verified `logged_in_customer_id` (App Proxy signature checked), or null for anonymous. */
    customerId: string | null;
    /** The conversation the widget says it is in, if any. */
    conversationId?: string | null;
  }): Promise<Conversation> {
    requireText("shop", input.shop);
    requireText("visitor id", input.visitorId);
    const customerId = input.customerId === null ? null : requireCustomerId(input.customerId);
    if (input.conversationId) {
      const existing = await store.getConversation(input.shop, input.conversationId);
      // Continue only the same visitor's conversation with the same identity: an anonymous
      // conversation is never linked to a customer afterwards (logging in starts a new one), and a
      // conversation id from another visitor or customer is never honoured.
      if (existing && existing.visitorId === input.visitorId && existing.customerId === customerId) return existing;
    }
    return store.createConversation({ shop: input.shop, visitorId: input.visitorId, customerId, at: now() });
  }

  async function appendMessage(input: {
    shop: string;
    conversationId: string;
    role: MessageRole;
    text: string;
    productIds?: string[];
  }): Promise<ChatMessage> {
    if (input.role !== "user" && input.role !== "assistant")
      throw new CustomerStoreError("role must be user or assistant");
    requireText("message text", input.text, MAX_MESSAGE_CHARS);
    const productIds = [...new Set(input.productIds ?? [])].map((id) => requireText("product id", id));
    if (input.role === "user" && productIds.length)
      throw new CustomerStoreError("only assistant messages carry products");
    return store.appendMessage({ ...input, productIds, at: now() });
  }

  async function getCustomerContext(
    shop: string,
    customerId: string | null | undefined,
  ): Promise<CustomerContext | null> {
    if (!customerId) return null; // anonymous shoppers get no context: the engine asks them to log in
    requireCustomerId(customerId);
    const [profile, orders, orderCount] = await Promise.all([
      store.getCustomer(shop, customerId),
      store.listOrders(shop, customerId, CONTEXT_ORDER_LIMIT),
      store.countOrders(shop, customerId),
    ]);
    // A verified customer we hold nothing about yet still gets a (blank) context: null means anonymous.
    return {
      customerId,
      firstName: profile?.firstName ?? null,
      tags: profile?.tags ?? [],
      orderCount: Math.max(profile?.orderCount ?? 0, orderCount),
      marketingConsent: profile?.marketingConsent ?? "unknown",
      latestOrder: orders[0] ? toOrderStatus(orders[0]) : null,
      purchases: orders.map((order) => ({
        orderName: order.name,
        placedAt: order.placedAt.toISOString(),
        status: orderStatusOf(order),
        products: order.items,
      })),
    };
  }

  async function getLatestOrder(shop: string, customerId: string | null | undefined): Promise<OrderStatus | null> {
    if (!customerId) return null;
    requireCustomerId(customerId);
    const [order] = await store.listOrders(shop, customerId, 1);
    return order ? toOrderStatus(order) : null;
  }

  async function conversationsOf(shop: string, customerId: string): Promise<Conversation[]> {
    const all: Conversation[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Conversation> = await store.listConversations(shop, { limit: PAGE_MAX, cursor, customerId });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Everything stored about one customer, as the JSON document a data request returns. */
  async function collectCustomerData(shop: string, customerId: string) {
    requireCustomerId(customerId);
    const [profile, orders, conversations] = await Promise.all([
      store.getCustomer(shop, customerId),
      store.listOrders(shop, customerId, Number.MAX_SAFE_INTEGER),
      conversationsOf(shop, customerId),
    ]);
    const withMessages = await Promise.all(
      conversations.map(async (conversation) => ({
        ...conversation,
        messages: await store.listMessages(shop, conversation.id, Number.MAX_SAFE_INTEGER),
        addToCartEvents: (await store.listCartEvents(shop, conversation.id)).map(
          ({ productId, variantId, createdAt }: CartEvent) => ({ productId, variantId, createdAt }),
        ),
      })),
    );
    return {
      format: EXPORT_FORMAT,
      shop,
      customerId,
      generatedAt: now().toISOString(),
      note:
        "Everything Aisle stores about this customer. Aisle keeps no addresses, emails, phone numbers or " +
        "payment data, and no per-customer vectors.",
      profile: profile && {
        firstName: profile.firstName,
        tags: profile.tags,
        orderCount: profile.orderCount,
        marketingConsent: profile.marketingConsent,
        updatedAt: profile.sourceUpdatedAt,
      },
      orders: orders.map(({ shop: _shop, customerId: _customer, ...order }) => order),
      conversations: withMessages.map(({ shop: _shop, messages, ...conversation }) => ({
        ...conversation,
        messages: messages.map(({ role, text, productIds, createdAt }) => ({ role, text, productIds, createdAt })),
      })),
    };
  }

  /** customers/data_request: builds and stores the export; a replay of the same request replaces it. */
  async function exportCustomerData(shop: string, customerId: string, requestId: string): Promise<DataExportRecord> {
    const document = await collectCustomerData(shop, customerId);
    return store.saveDataExport({
      shop,
      customerId,
      requestId: requireText("request id", requestId),
      createdAt: now(),
      json: JSON.stringify(document, null, 2),
    });
  }

  async function redactCustomer(shop: string, customerId: string): Promise<RecordCounts> {
    requireCustomerId(customerId);
    const counts = await store.deleteCustomerData(shop, customerId);
    log.info({ shop, counts }, "customer data redacted");
    return counts;
  }

  /** Everything of a shop, in this store (shop/redact). There are no per-customer vectors to drop. */
  async function deleteShopData(shop: string): Promise<RecordCounts> {
    requireText("shop", shop);
    const counts = await store.deleteShopData(shop);
    log.info({ shop, counts }, "shop customer data deleted");
    return counts;
  }

  async function purgeExpiredConversations(): Promise<number> {
    if (options.retentionDays <= 0) return 0;
    const cutoff = new Date(now().getTime() - options.retentionDays * 86_400_000);
    const deleted = await store.deleteConversationsBefore(cutoff);
    if (deleted) log.info({ deleted, cutoff }, "expired conversations deleted");
    return deleted;
  }

  /**
   * Runs the retention purge now and then every `intervalMs` (default: hourly) until stopped.
   * One instance is enough; running it on several is harmless (deletes are idempotent).
   */
  function startRetentionJob(intervalMs = 3_600_000): () => void {
    const run = () =>
      purgeExpiredConversations().catch((error: unknown) => log.error({ err: error }, "retention purge failed"));
    void run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  function assertSameShop(topic: string, headerShop: string, bodyShop: string) {
    // The body is what the HMAC covers; the header is not. Acting on a mismatch could redact
    // another shop's data with a replayed body, so refuse it.
    if (headerShop !== bodyShop) {
      throw new WebhookPayloadError(topic, `shop_domain ${bodyShop} does not match the delivering shop ${headerShop}`);
    }
  }

  /** Handlers for the verified webhook deliveries (routes pass the raw body; see webhook-action.server.ts). */
  /**
   * A verified delivery whose body cannot be used (malformed, or naming another shop) is logged as
   * an error and acknowledged: Shopify would resend the same bytes, which can never succeed. Store
   * failures still throw, so the delivery fails and Shopify retries it.
   */
  const acknowledgingBadPayloads =
    <A extends unknown[]>(topic: string, handle: (shop: string, ...args: A) => Promise<void>) =>
    async (shop: string, ...args: A) => {
      try {
        await handle(shop, ...args);
      } catch (error) {
        if (!(error instanceof WebhookPayloadError)) throw error;
        log.error({ shop, topic, reason: error.message }, "webhook payload rejected; nothing changed");
      }
    };

  const webhooks = {
    customerUpsert: acknowledgingBadPayloads("customers/create|update", async (shop, rawBody: string) => {
      const result = await store.upsertCustomer(customerProfileFromWebhook(shop, rawBody, now()));
      if (result === "stale") log.info({ shop }, "older customer version ignored");
    }),
    customerDeleted: acknowledgingBadPayloads("customers/delete", async (shop, rawBody: string) => {
      // The customer no longer exists in the shop: drop what came from Shopify about them. Their
      // conversations follow retention or customers/redact, which Shopify sends for erasure.
      const customerId = deletedCustomerIdFromWebhook(rawBody);
      await store.deleteCustomer(shop, customerId);
      await store.deleteCustomerOrders(shop, customerId);
    }),
    orderUpsert: acknowledgingBadPayloads("orders/create|updated", async (shop, rawBody: string) => {
      const order = orderSummaryFromWebhook(shop, rawBody);
      if (!order) return; // guest checkout: nothing to attach it to
      const result = await store.upsertOrder(order);
      if (result === "stale") log.info({ shop }, "older order version ignored");
    }),
    dataRequest: acknowledgingBadPayloads(
      "customers/data_request",
      async (shop, rawBody: string, webhookId: string) => {
        const payload = compliancePayloadFromWebhook("customers/data_request", rawBody);
        assertSameShop("customers/data_request", shop, payload.shopDomain);
        await exportCustomerData(shop, payload.customerId, payload.dataRequestId ?? `webhook:${webhookId}`);
      },
    ),
    redact: acknowledgingBadPayloads("customers/redact", async (shop, rawBody: string) => {
      const payload = compliancePayloadFromWebhook("customers/redact", rawBody);
      assertSameShop("customers/redact", shop, payload.shopDomain);
      await redactCustomer(shop, payload.customerId);
    }),
  };

  return {
    store,
    openConversation,
    appendMessage,
    recordAddToCart: async (input: {
      shop: string;
      conversationId: string;
      productId: string;
      variantId?: string | null;
    }) =>
      store.recordCartEvent({
        shop: input.shop,
        conversationId: input.conversationId,
        productId: requireText("product id", input.productId),
        variantId: input.variantId ?? null,
        at: now(),
      }),
    /** The last `limit` messages of a conversation, oldest first (what the model sees as history). */
    lastTurns: async (shop: string, conversationId: string, limit = 12) =>
      store.listMessages(shop, conversationId, pageLimit(limit)),
    listConversations: async (shop: string, page: { limit?: number; cursor?: string | null } = {}) =>
      store.listConversations(shop, { limit: pageLimit(page.limit), cursor: page.cursor }),
    async getConversation(shop: string, conversationId: string) {
      const conversation = await store.getConversation(shop, conversationId);
      if (!conversation) return null;
      const [messages, cartEvents] = await Promise.all([
        store.listMessages(shop, conversationId, Number.MAX_SAFE_INTEGER),
        store.listCartEvents(shop, conversationId),
      ]);
      return { conversation, messages, cartEvents };
    },
    getCustomerContext,
    getLatestOrder,
    collectCustomerData,
    exportCustomerData,
    listDataExports: async (shop: string, page: { limit?: number; cursor?: string | null } = {}) =>
      store.listDataExports(shop, { limit: pageLimit(page.limit), cursor: page.cursor }),
    getDataExport: (shop: string, id: string) => store.getDataExport(shop, id),
    redactCustomer,
    deleteShopData,
    purgeExpiredConversations,
    startRetentionJob,
    webhooks,
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
