// The customer + conversation store: what Aisle keeps about shoppers, and the one interface both
// backends (Prisma, Appwrite) implement. Kept deliberately small: only what the assistant uses
// (docs/decisions/080-customer-data-minimisation.md). Ids are Shopify's numeric ids as decimal
// strings (they exceed 2^53, so never numbers).

export type MarketingConsent = "subscribed" | "not_subscribed" | "unsubscribed" | "pending" | "unknown";

export interface CustomerProfile {
  shop: string;
  customerId: string;
  firstName: string | null;
  tags: string[];
  /** Shopify's own count when the payload carries it; otherwise null (see orderCount in the context). */
  orderCount: number | null;
  marketingConsent: MarketingConsent;
  /** Shopify's `updated_at` of the version kept: an older delivery never overwrites a newer one. */
  sourceUpdatedAt: Date;
}

export interface OrderItem {
  productId: string | null;
  title: string;
  quantity: number;
}

export interface OrderFulfillment {
  status: string | null;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingUrl: string | null;
  updatedAt: Date | null;
}

export interface OrderSummary {
  shop: string;
  orderId: string;
  customerId: string;
  /** The shopper-facing order name, e.g. "#1001". */
  name: string;
  placedAt: Date;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  closedAt: Date | null;
  items: OrderItem[];
  fulfillments: OrderFulfillment[];
  sourceUpdatedAt: Date;
}

export interface Conversation {
  id: string;
  shop: string;
  visitorId: string;
  /** Set only when the conversation was started by a verified logged-in customer; never added later. */
  customerId: string | null;
  startedAt: Date;
  lastMessageAt: Date;
  messageCount: number;
}

export type MessageRole = "user" | "assistant";

export interface ChatMessage {
  id: string;
  conversationId: string;
  shop: string;
  /** 1, 2, 3… within the conversation: the reading order. */
  position: number;
  role: MessageRole;
  text: string;
  /** For assistant messages: the products it recommended (Shopify product ids). */
  productIds: string[];
  createdAt: Date;
}

export interface CartEvent {
  id: string;
  conversationId: string;
  shop: string;
  productId: string;
  variantId: string | null;
  createdAt: Date;
}

export interface DataExportRecord {
  id: string;
  shop: string;
  customerId: string;
  /** Shopify's data_request id (or the webhook id when absent): a replay overwrites, never duplicates. */
  requestId: string;
  createdAt: Date;
  /** The JSON document handed to the merchant (see privacy.server.ts for its shape). */
  json: string;
}

export interface NewConversation {
  /**
   * The record's id, chosen by the caller (the history outbox, decision 121): a write repeated with the
   * same id returns the record written the first time and writes nothing. A new random id when absent.
   */
  id?: string;
  shop: string;
  visitorId: string;
  customerId: string | null;
  at: Date;
}

export interface NewMessage {
  /**
   * The record's id, chosen by the caller (the history outbox, decision 121): a write repeated with the
   * same id returns the record written the first time and writes nothing. A new random id when absent.
   */
  id?: string;
  shop: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  productIds: string[];
  at: Date;
}

export interface NewCartEvent {
  /**
   * The record's id, chosen by the caller (the history outbox, decision 121): a write repeated with the
   * same id returns the record written the first time and writes nothing. A new random id when absent.
   */
  id?: string;
  shop: string;
  conversationId: string;
  productId: string;
  variantId: string | null;
  at: Date;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** How many records of each kind a scope holds: the residue scan after a redaction. */
export interface RecordCounts {
  customers: number;
  orders: number;
  conversations: number;
  messages: number;
  cartEvents: number;
  dataExports: number;
}

export type RecordScope = { shop: string; customerId?: string };

/**
 * Storage primitives. Every read and write is scoped by shop (and by customer where it applies):
 * there is no method that reaches across shops. Business rules (which conversation to continue,
 * what goes into an export, retention) live in service.server.ts, once, for both backends.
 */
export interface CustomerStore {
  readonly kind: "prisma" | "appwrite";
  /** Creates what the backend needs (idempotent). Methods call it themselves; exposed for boot checks. */
  ready(): Promise<void>;
  /** One cheap request to the backend; says what answered (the dashboard's "Customer store" line). */
  ping(): Promise<string>;

  /** Inserts or replaces the profile unless the stored one has a newer `sourceUpdatedAt`. */
  upsertCustomer(profile: CustomerProfile): Promise<"written" | "stale">;
  getCustomer(shop: string, customerId: string): Promise<CustomerProfile | null>;
  deleteCustomer(shop: string, customerId: string): Promise<number>;

  /** Inserts or replaces the order unless the stored one has a newer `sourceUpdatedAt`. */
  upsertOrder(order: OrderSummary): Promise<"written" | "stale">;
  /** A customer's orders, newest first. */
  listOrders(shop: string, customerId: string, limit: number): Promise<OrderSummary[]>;
  countOrders(shop: string, customerId: string): Promise<number>;
  deleteCustomerOrders(shop: string, customerId: string): Promise<number>;

  createConversation(input: NewConversation): Promise<Conversation>;
  getConversation(shop: string, conversationId: string): Promise<Conversation | null>;
  /** Newest activity first; `customerId` narrows to one customer's conversations. */
  listConversations(
    shop: string,
    options: { limit: number; cursor?: string | null; customerId?: string },
  ): Promise<Page<Conversation>>;
  appendMessage(input: NewMessage): Promise<ChatMessage>;
  /** The last `limit` messages in reading order (oldest of them first). */
  listMessages(shop: string, conversationId: string, limit: number): Promise<ChatMessage[]>;
  recordCartEvent(input: NewCartEvent): Promise<CartEvent>;
  listCartEvents(shop: string, conversationId: string): Promise<CartEvent[]>;
  /** Deletes conversations (with their messages and events) whose last activity is before `cutoff`. */
  deleteConversationsBefore(cutoff: Date): Promise<number>;

  saveDataExport(record: Omit<DataExportRecord, "id">): Promise<DataExportRecord>;
  listDataExports(shop: string, options: { limit: number; cursor?: string | null }): Promise<Page<DataExportRecord>>;
  getDataExport(shop: string, id: string): Promise<DataExportRecord | null>;
  /** Deletes exports (of every shop) created before `cutoff`: retention. */
  deleteDataExportsBefore(cutoff: Date): Promise<number>;

  /** Deletes everything stored about one customer of one shop (profile, orders, conversations, exports). */
  deleteCustomerData(shop: string, customerId: string): Promise<RecordCounts>;
  /** Deletes everything stored for a shop. */
  deleteShopData(shop: string): Promise<RecordCounts>;
  /** Counts records in a scope (residue scans, dashboard figures). */
  countRecords(scope: RecordScope): Promise<RecordCounts>;
}

export class CustomerStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomerStoreError";
  }
}
