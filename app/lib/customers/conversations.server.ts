// Conversations for the chat endpoint (open, append, history, add-to-cart, the dashboard's reads)
// and the customer context for the answer engine, over any CustomerStore. The rules live here once,
// so both backends behave the same: docs/decisions/082-conversation-identity-and-retention.md.
import { CONTEXT_ORDER_LIMIT, customerContextOf, type CustomerContext } from "./customer-context";
import { pageLimit, requireCustomerId, requireText } from "./input-checks";
import type { CartEvent, ChatMessage, Conversation, CustomerStore, MessageRole } from "./types";
import { CustomerStoreError } from "./types";

const MAX_MESSAGE_CHARS = 8000;

export interface ConversationOptions {
  now: () => Date;
}

export function createConversations(store: CustomerStore, { now }: ConversationOptions) {
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

  async function recordAddToCart(input: {
    shop: string;
    conversationId: string;
    productId: string;
    variantId?: string | null;
  }): Promise<CartEvent> {
    return store.recordCartEvent({
      shop: input.shop,
      conversationId: input.conversationId,
      productId: requireText("product id", input.productId),
      variantId: input.variantId ?? null,
      at: now(),
    });
  }

  /** The last `limit` messages of a conversation, oldest first (what the model sees as history). */
  async function lastTurns(shop: string, conversationId: string, limit = 12): Promise<ChatMessage[]> {
    return store.listMessages(shop, conversationId, pageLimit(limit));
  }

  /** Newest activity first (the dashboard's list). */
  async function listConversations(shop: string, page: { limit?: number; cursor?: string | null } = {}) {
    return store.listConversations(shop, { limit: pageLimit(page.limit), cursor: page.cursor });
  }

  /** One conversation with all its messages and add-to-cart events, or null when not this shop's. */
  /** Who a conversation belongs to, without its messages (the cart event's ownership check). */
  async function conversationOwner(shop: string, conversationId: string) {
    const conversation = await store.getConversation(shop, conversationId);
    return conversation ? { visitorId: conversation.visitorId, customerId: conversation.customerId } : null;
  }

  async function getConversation(shop: string, conversationId: string) {
    const conversation = await store.getConversation(shop, conversationId);
    if (!conversation) return null;
    const [messages, cartEvents] = await Promise.all([
      store.listMessages(shop, conversationId, Number.MAX_SAFE_INTEGER),
      store.listCartEvents(shop, conversationId),
    ]);
    return { conversation, messages, cartEvents };
  }

  /** A verified customer's context for the answer engine; null only when anonymous. */
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
    return customerContextOf(customerId, profile, orders, orderCount);
  }

  return {
    openConversation,
    appendMessage,
    recordAddToCart,
    lastTurns,
    listConversations,
    conversationOwner,
    getConversation,
    getCustomerContext,
  };
}

export type Conversations = ReturnType<typeof createConversations>;
