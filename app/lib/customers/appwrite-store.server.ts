// CustomerStore on Appwrite (node-appwrite's Databases service: documents). On first use it makes
// sure its schema exists (appwrite-schema.server.ts). docs/decisions/081-appwrite-customer-store.md
// explains the choices (legacy Databases API, deterministic ids for upserts); decision 116 how it uses
// transactions and bulk operations where the server has them and what it does where it has not.
import { createHash, randomUUID } from "node:crypto";
import { AppwriteException, Databases, Query, type Client, type Models } from "node-appwrite";
import { setResponseFormat } from "./appwrite-client.server";
import { ensureAppwriteSchema, isAppwriteError, isMissingRoute, type SchemaOptions } from "./appwrite-schema.server";
import { parseFulfillments, parseJsonArray } from "./store-codec";
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

const PAGE = 100;
// Short: the writes a transaction spans are a few requests; an abandoned one expires soon.
const TRANSACTION_TTL_SECONDS = 60;
// A conversation changed between our read and our commit (another turn): the append is redone.
const CONFLICT_RETRIES = 3;

/** What this server offers beyond plain document calls: unknown until first used, then remembered. */
export interface AppwriteFeatures {
  /** Bulk document update/delete by query (Appwrite 1.7+). */
  bulk: boolean | null;
  /** Multi-document transactions (Appwrite 1.8+). */
  transactions: boolean | null;
}
const UNSUPPORTED = Symbol("unsupported");

/** A deterministic document id (≤ 36 chars, Appwrite's id alphabet) for records keyed by natural ids. */
function documentId(prefix: string, ...parts: string[]): string {
  return prefix + createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 35);
}

const date = (value: unknown) => new Date(String(value));
const optionalDate = (value: unknown) => (value ? new Date(String(value)) : null);
const optionalString = (value: unknown) => (typeof value === "string" ? value : null);

type Doc = Models.DefaultDocument;

export interface AppwriteStoreOptions extends SchemaOptions {
  databaseId: string;
}

export class AppwriteCustomerStore implements CustomerStore {
  readonly kind = "appwrite" as const;
  private readonly databases: Databases;
  private readying: Promise<void> | null = null;
  private readonly features: AppwriteFeatures = { bulk: null, transactions: null };

  constructor(
    private readonly client: Client,
    private readonly options: AppwriteStoreOptions,
  ) {
    this.databases = new Databases(client);
  }

  ready(): Promise<void> {
    // Memoised; a failure is not cached, so the next call retries (e.g. Appwrite was still starting).
    this.readying ??= this.detectFeatures()
      .then(() => ensureAppwriteSchema(this.databases, this.db, this.options))
      .catch((error: unknown) => {
        this.readying = null;
        throw error;
      });
    return this.readying;
  }

  /**
   * Learns whether the server has transactions (1.8+) and bulk operations (1.7+): an older server has
   * no such routes. Then asks an older server for its own response format (decision 116).
   */
  private async detectFeatures(): Promise<void> {
    const transaction = await this.attempt("transactions", () =>
      this.databases.createTransaction({ ttl: TRANSACTION_TTL_SECONDS }),
    );
    if (transaction !== UNSUPPORTED) {
      this.features.bulk = true;
      await this.databases.updateTransaction({ transactionId: transaction.$id, rollback: true });
      return;
    }
    // A bulk delete by an id no document can have ("-" cannot start one): deletes nothing. A 404 for a
    // database or collection not created yet still shows the route exists.
    await this.attempt("bulk", () =>
      this.databases
        .deleteDocuments({ databaseId: this.db, collectionId: "customers", queries: [Query.equal("$id", "-")] })
        .catch((error: unknown) => {
          if (isAppwriteError(error, 404) && !isMissingRoute(error)) return null;
          throw error;
        }),
    );
    setResponseFormat(this.client, this.features.bulk ? "1.7.0" : "1.6.0");
  }

  async ping(): Promise<string> {
    await this.databases.get({ databaseId: this.db });
    const { transactions, bulk } = this.features;
    const features = transactions ? "transactions" : bulk ? "bulk operations, no transactions" : "plain documents";
    return `Appwrite database ${this.db} (${features})`;
  }

  private get db() {
    return this.options.databaseId;
  }

  /** Which of Appwrite's newer features this server has shown it has (null: not tried yet). */
  serverFeatures(): AppwriteFeatures {
    return { ...this.features };
  }

  /**
   * Runs `use` with a feature of newer Appwrite servers. A server without it has no such route: the
   * first 404 general_route_not_found says so, and from then on the caller's fallback is used directly.
   */
  private async attempt<T>(feature: keyof AppwriteFeatures, use: () => Promise<T>): Promise<T | typeof UNSUPPORTED> {
    if (this.features[feature] === false) return UNSUPPORTED;
    try {
      const result = await use();
      this.features[feature] = true;
      return result;
    } catch (error) {
      if (this.features[feature] === null && isMissingRoute(error)) {
        this.features[feature] = false;
        return UNSUPPORTED;
      }
      throw error;
    }
  }

  /**
   * Runs `work` inside an Appwrite transaction (all its writes or none), or, on a server without
   * transactions, directly (`transactionId` undefined), as before 1.8.
   */
  private async inTransaction<T>(work: (transactionId?: string) => Promise<T>): Promise<T> {
    await this.ready();
    const result = await this.attempt("transactions", async () => {
      const transaction = await this.databases.createTransaction({ ttl: TRANSACTION_TTL_SECONDS });
      try {
        const value = await work(transaction.$id);
        await this.databases.updateTransaction({ transactionId: transaction.$id, commit: true });
        return { value };
      } catch (error) {
        // Nothing staged was applied; rolling back frees it now rather than at expiry, so a failure to
        // roll back (a failed commit is already closed) changes nothing.
        await this.databases.updateTransaction({ transactionId: transaction.$id, rollback: true }).catch(() => {});
        throw error;
      }
    });
    return result === UNSUPPORTED ? work(undefined) : result.value;
  }

  // ---- document helpers -----------------------------------------------------------------

  private async get(collectionId: string, id: string): Promise<Doc | null> {
    await this.ready();
    try {
      return await this.databases.getDocument<Doc>({ databaseId: this.db, collectionId, documentId: id });
    } catch (error) {
      if (isAppwriteError(error, 404)) return null;
      throw error;
    }
  }

  private async create(
    collectionId: string,
    id: string,
    data: Record<string, unknown>,
    transactionId?: string,
  ): Promise<Doc> {
    await this.ready();
    return this.databases.createDocument({ databaseId: this.db, collectionId, documentId: id, data, transactionId });
  }

  private async update(
    collectionId: string,
    id: string,
    data: Record<string, unknown>,
    transactionId?: string,
  ): Promise<Doc> {
    await this.ready();
    return this.databases.updateDocument({ databaseId: this.db, collectionId, documentId: id, data, transactionId });
  }

  private async list(collectionId: string, queries: string[]): Promise<Models.DocumentList<Doc>> {
    await this.ready();
    return this.databases.listDocuments({ databaseId: this.db, collectionId, queries });
  }

  /** Up to `limit` documents matching `filters` in `order`, following Appwrite's cursor paging. */
  private async listUpTo(collectionId: string, filters: string[], order: string[], limit: number): Promise<Doc[]> {
    const all: Doc[] = [];
    let cursor: string | null = null;
    while (all.length < limit) {
      const size = Math.min(PAGE, limit - all.length);
      const page: Models.DocumentList<Doc> = await this.list(collectionId, [
        ...filters,
        ...order,
        Query.limit(size),
        ...(cursor ? [Query.cursorAfter(cursor)] : []),
      ]);
      all.push(...page.documents);
      if (page.documents.length < size) break;
      cursor = page.documents[page.documents.length - 1].$id;
    }
    return all;
  }

  private async count(collectionId: string, filters: string[]): Promise<number> {
    return (await this.list(collectionId, [...filters, Query.limit(1)])).total;
  }

  /**
   * Deletes every document matching `filters` and says how many: by query, a page per request, where
   * the server has bulk operations; otherwise one document at a time.
   */
  private async deleteWhere(collectionId: string, filters: string[]): Promise<number> {
    await this.ready();
    let deleted = 0;
    for (;;) {
      const page = await this.attempt("bulk", () =>
        this.databases.deleteDocuments({ databaseId: this.db, collectionId, queries: [...filters, Query.limit(PAGE)] }),
      );
      if (page === UNSUPPORTED) return deleted + (await this.deleteEach(collectionId, filters));
      deleted += page.total;
      if (page.total < PAGE) return deleted;
    }
  }

  private async deleteEach(collectionId: string, filters: string[]): Promise<number> {
    let deleted = 0;
    for (;;) {
      const page = await this.list(collectionId, [...filters, Query.limit(PAGE)]);
      if (!page.documents.length) return deleted;
      for (const doc of page.documents) {
        try {
          await this.databases.deleteDocument({ databaseId: this.db, collectionId, documentId: doc.$id });
          deleted++;
        } catch (error) {
          if (!isAppwriteError(error, 404)) throw error; // deleted concurrently: fine
        }
      }
    }
  }

  /**
   * Newest wins: the write lands only if the stored version is not newer. Where the server has bulk
   * operations this is one conditional update (queries on $id and sourceUpdatedAt), evaluated by the
   * server, like Prisma's conditional update; otherwise read, compare, write.
   */
  private async upsertNewer(
    collectionId: string,
    id: string,
    data: Record<string, unknown>,
    sourceUpdatedAt: Date,
  ): Promise<"written" | "stale"> {
    await this.ready();
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const updated = await this.attempt("bulk", () =>
        this.databases.updateDocuments({
          databaseId: this.db,
          collectionId,
          data,
          queries: [Query.equal("$id", id), Query.lessThanEqual("sourceUpdatedAt", sourceUpdatedAt.toISOString())],
        }),
      );
      if (updated === UNSUPPORTED) return this.readCompareWrite(collectionId, id, data, sourceUpdatedAt);
      if (updated.total > 0) return "written";
      // Nothing matched: no such document yet, or a newer version is stored.
      const existing = await this.get(collectionId, id);
      if (existing && date(existing.sourceUpdatedAt) > sourceUpdatedAt) return "stale";
      if (existing) continue; // written by someone else meanwhile: compare again
      try {
        await this.create(collectionId, id, data);
        return "written";
      } catch (error) {
        if (!isAppwriteError(error, 409)) throw error; // created meanwhile: compare again
      }
    }
    throw new CustomerStoreError(`${collectionId} ${id} kept changing while being written; try again`);
  }

  private async readCompareWrite(
    collectionId: string,
    id: string,
    data: Record<string, unknown>,
    sourceUpdatedAt: Date,
  ): Promise<"written" | "stale"> {
    const existing = await this.get(collectionId, id);
    if (existing && date(existing.sourceUpdatedAt) > sourceUpdatedAt) return "stale";
    if (existing) {
      await this.update(collectionId, id, data);
      return "written";
    }
    try {
      await this.create(collectionId, id, data);
    } catch (error) {
      if (!isAppwriteError(error, 409)) throw error;
      return this.readCompareWrite(collectionId, id, data, sourceUpdatedAt);
    }
    return "written";
  }

  // ---- profiles and orders ------------------------------------------------------------------

  upsertCustomer(profile: CustomerProfile): Promise<"written" | "stale"> {
    return this.upsertNewer(
      "customers",
      documentId("c", profile.shop, profile.customerId),
      {
        shop: profile.shop,
        customerId: profile.customerId,
        firstName: profile.firstName,
        tags: profile.tags,
        orderCount: profile.orderCount,
        marketingConsent: profile.marketingConsent,
        sourceUpdatedAt: profile.sourceUpdatedAt.toISOString(),
      },
      profile.sourceUpdatedAt,
    );
  }

  async getCustomer(shop: string, customerId: string): Promise<CustomerProfile | null> {
    const doc = await this.get("customers", documentId("c", shop, customerId));
    if (!doc || doc.shop !== shop || doc.customerId !== customerId) return null;
    return {
      shop,
      customerId,
      firstName: optionalString(doc.firstName),
      tags: (doc.tags as string[] | null) ?? [],
      orderCount: typeof doc.orderCount === "number" ? doc.orderCount : null,
      marketingConsent: doc.marketingConsent as MarketingConsent,
      sourceUpdatedAt: date(doc.sourceUpdatedAt),
    };
  }

  deleteCustomer(shop: string, customerId: string): Promise<number> {
    return this.deleteWhere("customers", [Query.equal("shop", shop), Query.equal("customerId", customerId)]);
  }

  upsertOrder(order: OrderSummary): Promise<"written" | "stale"> {
    return this.upsertNewer(
      "orders",
      documentId("o", order.shop, order.orderId),
      {
        shop: order.shop,
        orderId: order.orderId,
        customerId: order.customerId,
        name: order.name,
        placedAt: order.placedAt.toISOString(),
        financialStatus: order.financialStatus,
        fulfillmentStatus: order.fulfillmentStatus,
        cancelledAt: order.cancelledAt?.toISOString() ?? null,
        closedAt: order.closedAt?.toISOString() ?? null,
        itemsJson: JSON.stringify(order.items),
        fulfillmentsJson: JSON.stringify(order.fulfillments),
        sourceUpdatedAt: order.sourceUpdatedAt.toISOString(),
      },
      order.sourceUpdatedAt,
    );
  }

  async listOrders(shop: string, customerId: string, limit: number): Promise<OrderSummary[]> {
    const docs = await this.listUpTo(
      "orders",
      [Query.equal("shop", shop), Query.equal("customerId", customerId)],
      [Query.orderDesc("placedAt"), Query.orderDesc("orderId")],
      limit,
    );
    return docs.map((doc) => ({
      shop,
      orderId: String(doc.orderId),
      customerId,
      name: String(doc.name),
      placedAt: date(doc.placedAt),
      financialStatus: optionalString(doc.financialStatus),
      fulfillmentStatus: optionalString(doc.fulfillmentStatus),
      cancelledAt: optionalDate(doc.cancelledAt),
      closedAt: optionalDate(doc.closedAt),
      items: parseJsonArray(String(doc.itemsJson)),
      fulfillments: parseFulfillments(String(doc.fulfillmentsJson)),
      sourceUpdatedAt: date(doc.sourceUpdatedAt),
    }));
  }

  countOrders(shop: string, customerId: string): Promise<number> {
    return this.count("orders", [Query.equal("shop", shop), Query.equal("customerId", customerId)]);
  }

  deleteCustomerOrders(shop: string, customerId: string): Promise<number> {
    return this.deleteWhere("orders", [Query.equal("shop", shop), Query.equal("customerId", customerId)]);
  }

  // ---- conversations --------------------------------------------------------------------------

  private toConversation(doc: Doc): Conversation {
    return {
      id: doc.$id,
      shop: String(doc.shop),
      visitorId: String(doc.visitorId),
      customerId: optionalString(doc.customerId),
      startedAt: date(doc.startedAt),
      lastMessageAt: date(doc.lastMessageAt),
      messageCount: Number(doc.messageCount),
    };
  }

  async createConversation(input: NewConversation): Promise<Conversation> {
    const doc = await this.createOnce("conversations", input.shop, input.id, {
      shop: input.shop,
      visitorId: input.visitorId,
      customerId: input.customerId,
      startedAt: input.at.toISOString(),
      lastMessageAt: input.at.toISOString(),
      messageCount: 0,
    });
    return this.toConversation(doc);
  }

  /**
   * Creates a document under the caller's id (or a random one). A caller's id that exists already is a
   * repeated write (the history outbox replaying a delivery whose answer was lost): the stored document
   * is returned and nothing is written.
   */
  private async createOnce(collectionId: string, shop: string, id: string | undefined, data: Record<string, unknown>) {
    try {
      return await this.create(collectionId, id ?? randomUUID(), data);
    } catch (error) {
      const existing = id && isAppwriteError(error, 409) ? await this.existing(collectionId, shop, id) : null;
      if (existing) return existing;
      throw error;
    }
  }

  /** The shop's document with this id, if written before; an id of another shop is refused. */
  private async existing(collectionId: string, shop: string, id: string): Promise<Doc | null> {
    const doc = await this.get(collectionId, id);
    if (doc && doc.shop !== shop) throw new CustomerStoreError(`${id} belongs to another shop`);
    return doc;
  }

  async getConversation(shop: string, conversationId: string): Promise<Conversation | null> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/.test(conversationId)) return null;
    const doc = await this.get("conversations", conversationId);
    return doc && doc.shop === shop ? this.toConversation(doc) : null;
  }

  private async page<T>(
    collectionId: string,
    shop: string,
    filters: string[],
    order: string[],
    options: { limit: number; cursor?: string | null },
    map: (doc: Doc) => T,
  ): Promise<Page<T>> {
    if (options.cursor) {
      // The cursor is a document id of this shop's collection; anything else is bad input.
      const valid = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/.test(options.cursor);
      const anchor = valid ? await this.get(collectionId, options.cursor) : null;
      if (!anchor || anchor.shop !== shop) throw new CustomerStoreError("invalid paging cursor");
    }
    const result = await this.list(collectionId, [
      Query.equal("shop", shop),
      ...filters,
      ...order,
      Query.limit(options.limit + 1),
      ...(options.cursor ? [Query.cursorAfter(options.cursor)] : []),
    ]);
    const docs = result.documents.slice(0, options.limit);
    return {
      items: docs.map(map),
      nextCursor: result.documents.length > options.limit ? docs[docs.length - 1].$id : null,
    };
  }

  listConversations(
    shop: string,
    options: { limit: number; cursor?: string | null; customerId?: string },
  ): Promise<Page<Conversation>> {
    return this.page(
      "conversations",
      shop,
      options.customerId !== undefined ? [Query.equal("customerId", options.customerId)] : [],
      [Query.orderDesc("lastMessageAt"), Query.orderDesc("$id")],
      options,
      (doc) => this.toConversation(doc),
    );
  }

  async appendMessage(input: NewMessage): Promise<ChatMessage> {
    const written = input.id ? await this.existing("messages", input.shop, input.id) : null;
    if (written) return this.toMessage(written);
    for (let attempt = 1; ; attempt++) {
      const conversation = await this.getConversation(input.shop, input.conversationId);
      if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
      const position = conversation.messageCount + 1;
      const message = {
        $id: input.id ?? randomUUID(),
        conversationId: conversation.id,
        shop: input.shop,
        customerId: conversation.customerId,
        position,
        role: input.role,
        text: input.text,
        productIds: input.productIds,
        createdAt: input.at.toISOString(),
      };
      try {
        // The conversation's counters and the message change together (one transaction on 1.8+). Without
        // transactions a failure between the two can leave a counted message missing; one shopper's turns
        // are sequential, so a lost race could at worst give two messages the same position.
        await this.inTransaction(async (transactionId) => {
          const lastMessageAt = input.at > conversation.lastMessageAt ? input.at : conversation.lastMessageAt;
          await this.update(
            "conversations",
            conversation.id,
            { messageCount: position, lastMessageAt: lastMessageAt.toISOString() },
            transactionId,
          );
          const { $id, ...data } = message;
          await this.create("messages", $id, data, transactionId);
        });
        return this.toMessage(message as unknown as Doc);
      } catch (error) {
        // Another turn changed the conversation after we read it: Appwrite refused the commit, so
        // nothing was written; read it again.
        const conflict = error instanceof AppwriteException && error.type === "transaction_conflict";
        // A repeated write whose first copy landed meanwhile (its answer was lost): that copy stands.
        const landed =
          input.id && isAppwriteError(error, 409) ? await this.existing("messages", input.shop, input.id) : null;
        if (landed) return this.toMessage(landed);
        if (!conflict || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  private toMessage(doc: Doc): ChatMessage {
    return {
      id: doc.$id,
      conversationId: String(doc.conversationId),
      shop: String(doc.shop),
      position: Number(doc.position),
      role: doc.role as MessageRole,
      text: String(doc.text),
      productIds: (doc.productIds as string[] | null) ?? [],
      createdAt: date(doc.createdAt),
    };
  }

  async listMessages(shop: string, conversationId: string, limit: number): Promise<ChatMessage[]> {
    const docs = await this.listUpTo(
      "messages",
      [Query.equal("conversationId", conversationId), Query.equal("shop", shop)],
      [Query.orderDesc("position")],
      limit,
    );
    return docs.reverse().map((doc) => this.toMessage(doc));
  }

  async recordCartEvent(input: NewCartEvent): Promise<CartEvent> {
    const conversation = await this.getConversation(input.shop, input.conversationId);
    if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
    const doc = await this.createOnce("cart_events", input.shop, input.id, {
      conversationId: conversation.id,
      shop: input.shop,
      customerId: conversation.customerId,
      productId: input.productId,
      variantId: input.variantId,
      createdAt: input.at.toISOString(),
    });
    return this.toCartEvent(doc);
  }

  private toCartEvent(doc: Doc): CartEvent {
    return {
      id: doc.$id,
      conversationId: String(doc.conversationId),
      shop: String(doc.shop),
      productId: String(doc.productId),
      variantId: optionalString(doc.variantId),
      createdAt: date(doc.createdAt),
    };
  }

  async listCartEvents(shop: string, conversationId: string): Promise<CartEvent[]> {
    const docs = await this.listUpTo(
      "cart_events",
      [Query.equal("conversationId", conversationId), Query.equal("shop", shop)],
      [Query.orderAsc("createdAt"), Query.orderAsc("$id")],
      Number.MAX_SAFE_INTEGER,
    );
    return docs.map((doc) => this.toCartEvent(doc));
  }

  private async deleteConversation(doc: Doc): Promise<void> {
    const children = [Query.equal("conversationId", doc.$id)];
    const run = this.inTransaction(async (transactionId) => {
      if (transactionId) {
        // One conversation with its messages and events, all or nothing.
        for (const collectionId of ["messages", "cart_events"]) {
          await this.databases.deleteDocuments({ databaseId: this.db, collectionId, queries: children, transactionId });
        }
      } else {
        // Children first: if this stops halfway, the conversation is still there for the next run.
        await this.deleteWhere("messages", children);
        await this.deleteWhere("cart_events", children);
      }
      try {
        await this.databases.deleteDocument({
          databaseId: this.db,
          collectionId: "conversations",
          documentId: doc.$id,
          transactionId,
        });
      } catch (error) {
        if (!isAppwriteError(error, 404)) throw error;
      }
    });
    // Gone already: another run deleted it (with its children) first. A commit fails the same way.
    await run.catch((error: unknown) => {
      if (!isAppwriteError(error, 404)) throw error;
    });
  }

  async deleteConversationsBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const page = await this.list("conversations", [
        Query.lessThan("lastMessageAt", cutoff.toISOString()),
        Query.limit(PAGE),
      ]);
      if (!page.documents.length) return deleted;
      for (const doc of page.documents) {
        await this.deleteConversation(doc);
        deleted++;
      }
    }
  }

  // ---- data exports -------------------------------------------------------------------------

  private toExport(doc: Doc): DataExportRecord {
    return {
      id: doc.$id,
      shop: String(doc.shop),
      customerId: String(doc.customerId),
      requestId: String(doc.requestId),
      createdAt: date(doc.createdAt),
      json: String(doc.json),
    };
  }

  async saveDataExport(record: Omit<DataExportRecord, "id">): Promise<DataExportRecord> {
    const id = documentId("e", record.shop, record.requestId);
    const data = { ...record, createdAt: record.createdAt.toISOString() };
    const existing = await this.get("data_exports", id);
    if (existing) return this.toExport(await this.update("data_exports", id, data));
    try {
      return this.toExport(await this.create("data_exports", id, data));
    } catch (error) {
      if (!isAppwriteError(error, 409)) throw error;
      return this.toExport(await this.update("data_exports", id, data));
    }
  }

  listDataExports(shop: string, options: { limit: number; cursor?: string | null }): Promise<Page<DataExportRecord>> {
    return this.page("data_exports", shop, [], [Query.orderDesc("createdAt"), Query.orderDesc("$id")], options, (doc) =>
      this.toExport(doc),
    );
  }

  async getDataExport(shop: string, id: string): Promise<DataExportRecord | null> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/.test(id)) return null;
    const doc = await this.get("data_exports", id);
    return doc && doc.shop === shop ? this.toExport(doc) : null;
  }

  deleteDataExportsBefore(cutoff: Date): Promise<number> {
    return this.deleteWhere("data_exports", [Query.lessThan("createdAt", cutoff.toISOString())]);
  }

  // ---- privacy --------------------------------------------------------------------------------

  private async deleteScope(filters: string[]): Promise<RecordCounts> {
    // Children before parents, so an interrupted run leaves parents that a retry finds again.
    const messages = await this.deleteWhere("messages", filters);
    const cartEvents = await this.deleteWhere("cart_events", filters);
    const conversations = await this.deleteWhere("conversations", filters);
    const orders = await this.deleteWhere("orders", filters);
    const customers = await this.deleteWhere("customers", filters);
    const dataExports = await this.deleteWhere("data_exports", filters);
    return { customers, orders, conversations, messages, cartEvents, dataExports };
  }

  deleteCustomerData(shop: string, customerId: string): Promise<RecordCounts> {
    return this.deleteScope([Query.equal("shop", shop), Query.equal("customerId", customerId)]);
  }

  deleteShopData(shop: string): Promise<RecordCounts> {
    return this.deleteScope([Query.equal("shop", shop)]);
  }

  async countRecords(scope: RecordScope): Promise<RecordCounts> {
    const filters = [
      Query.equal("shop", scope.shop),
      ...(scope.customerId !== undefined ? [Query.equal("customerId", scope.customerId)] : []),
    ];
    const [customers, orders, conversations, messages, cartEvents, dataExports] = await Promise.all(
      ["customers", "orders", "conversations", "messages", "cart_events", "data_exports"].map((id) =>
        this.count(id, filters),
      ),
    );
    return { customers, orders, conversations, messages, cartEvents, dataExports };
  }
}
