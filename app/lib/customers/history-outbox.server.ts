// Chat history for a customer store outside the app database (Appwrite): every new conversation,
// message and add-to-cart is written first to the app database's HistoryOutbox, and a worker delivers
// the rows to the store in write order per conversation, retrying with backoff while it is down. The
// chat never waits on the store for a write, a store that is down or slow costs no history, and a
// delivery repeated after its answer was lost finds its record by id instead of writing it twice.
// docs/decisions/121-chat-history-outbox.md.
import { randomUUID } from "node:crypto";
import type { HistoryOutbox as OutboxRow, Prisma, PrismaClient } from "@prisma/client";
import type { ComponentHealth } from "../health.server";
import { PollLoop } from "../jobs/poll-loop";
import type { Logger } from "../logger.server";
import { backoffMs } from "../sync/sync-worker.server";
import type {
  CartEvent,
  ChatMessage,
  Conversation,
  CustomerStore,
  MessageRole,
  NewCartEvent,
  NewConversation,
  NewMessage,
  Page,
  RecordCounts,
  RecordScope,
} from "./types";
import { CustomerStoreError } from "./types";

export interface HistoryOutboxSettings {
  /** How often an idle worker looks for rows written by other processes. */
  pollIntervalMs: number;
  /** A claimed row is another worker's again after this long (its process died). */
  leaseMs: number;
  /** A delivery the store has not answered within this is abandoned and retried (the store is slow). */
  deliveryTimeoutMs: number;
  /** Reads on the chat's path wait this long for the store, then answer from what the outbox holds. */
  readTimeoutMs: number;
  /** Longest wait between delivery attempts while the store fails (backoff from 1 s, doubling). */
  maxBackoffMs: number;
  /** Delivered rows keep no text, only who owns the conversation; kept this long (see prune()). */
  keepDeliveredMs: number;
}

export const DEFAULT_HISTORY_OUTBOX_SETTINGS: HistoryOutboxSettings = {
  pollIntervalMs: 1000,
  leaseMs: 60_000,
  deliveryTimeoutMs: 10_000,
  readTimeoutMs: 2000,
  maxBackoffMs: 60_000,
  keepDeliveredMs: 24 * 3_600_000,
};

type Kind = "conversation" | "message" | "cart_event";
interface MessagePayload {
  role: MessageRole;
  text: string;
  productIds: string[];
}
interface CartPayload {
  productId: string;
  variantId: string | null;
}

/** What the dashboard shows of the outbox: the backlog and the last failure seen by this process. */
export interface HistoryOutboxState {
  waiting: number;
  oldestWaitingSince: Date | null;
  refused: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastDeliveredAt: Date | null;
}

class StoreTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`the customer store did not answer ${what} within ${ms} ms`);
    this.name = "StoreTimeoutError";
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(what, ms)), ms);
  });
  // A request abandoned at its deadline may still settle later; nobody waits for it then.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The store refused the write for good (bad data, its conversation deleted): retrying cannot help. */
function isRefusal(error: unknown): boolean {
  if (error instanceof CustomerStoreError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 400;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const pendingKinds = (rows: { kind: string }[], kind: Kind) => rows.filter((row) => row.kind === kind).length;

export interface HistoryOutboxDependencies {
  db: PrismaClient;
  /** The store the rows are delivered to. */
  store: CustomerStore;
  log: Logger;
  settings?: Partial<HistoryOutboxSettings>;
  /** The clock of leases, the backoff and pruning (default: the system's). */
  now?: () => Date;
}

export class HistoryOutbox {
  readonly id = `outbox-${randomUUID()}`;
  readonly settings: HistoryOutboxSettings;
  /** The customer store the app uses: `store`'s reads and deletes, its history writes through the outbox. */
  readonly customerStore: CustomerStore;
  private readonly now: () => Date;
  private failures = 0;
  private pausedUntil = 0;
  private lastError: { message: string; at: Date } | null = null;
  private lastDeliveredAt: Date | null = null;
  private readonly loop = new PollLoop(
    () => this.drain(),
    (error) => this.deps.log.error({ err: error }, "history outbox pass failed"),
  );

  constructor(private readonly deps: HistoryOutboxDependencies) {
    this.settings = { ...DEFAULT_HISTORY_OUTBOX_SETTINGS, ...deps.settings };
    this.now = deps.now ?? (() => new Date());
    this.customerStore = new OutboxedCustomerStore(this, deps.store, deps.db);
  }

  // ---- writing -------------------------------------------------------------------------------

  async enqueue(row: {
    shop: string;
    conversationId: string;
    visitorId: string;
    customerId: string | null;
    kind: Kind;
    recordId: string;
    position?: number;
    payload: MessagePayload | CartPayload | Record<string, never>;
    at: Date;
  }): Promise<void> {
    await this.deps.db.historyOutbox.create({
      data: { ...row, position: row.position ?? null, payload: JSON.stringify(row.payload) },
    });
    this.loop.nudge();
  }

  /** Reads the store on the chat's path: bounded, so a slow store costs the shopper seconds, not minutes. */
  read<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withDeadline(work(), this.settings.readTimeoutMs, what);
  }

  // ---- delivering ----------------------------------------------------------------------------

  /**
   * One pass: delivers the oldest waiting row of each conversation whose earlier rows are all
   * delivered. True when it delivered something (the loop goes on at once), false when there was
   * nothing to do or the store is in its backoff, "failed" when the store failed.
   */
  async drain(): Promise<boolean | "failed"> {
    if (this.now().getTime() < this.pausedUntil) return false;
    const { db } = this.deps;
    const waiting = await db.historyOutbox.findMany({
      where: { state: "pending" },
      orderBy: { seq: "asc" },
      take: 200,
      select: { seq: true, conversationId: true, leaseUntil: true },
    });
    const heads = new Map<string, (typeof waiting)[number]>();
    for (const row of waiting) if (!heads.has(row.conversationId)) heads.set(row.conversationId, row);
    let delivered = false;
    for (const head of heads.values()) {
      const now = this.now();
      if (head.leaseUntil && head.leaseUntil > now) continue; // another worker has it
      const claimed = await db.historyOutbox.updateMany({
        where: { seq: head.seq, state: "pending", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseOwner: this.id, leaseUntil: new Date(now.getTime() + this.settings.leaseMs) },
      });
      if (claimed.count === 0) continue;
      const row = await db.historyOutbox.findUnique({ where: { seq: head.seq } });
      if (!row) continue;
      const outcome = await this.deliver(row);
      if (outcome === "failed") return "failed";
      delivered = true;
    }
    return delivered;
  }

  private async deliver(row: OutboxRow): Promise<"delivered" | "refused" | "failed"> {
    const { db, log } = this.deps;
    const mine = { seq: row.seq, leaseOwner: this.id };
    try {
      await withDeadline(this.write(row), this.settings.deliveryTimeoutMs, `a ${row.kind} write`);
    } catch (error) {
      if (isRefusal(error)) {
        // Kept with its text and shown on the dashboard: nothing is dropped without a trace.
        await db.historyOutbox.updateMany({
          where: mine,
          data: { state: "refused", attempts: { increment: 1 }, lastError: messageOf(error), leaseUntil: null },
        });
        log.error(
          { err: error, shop: row.shop, kind: row.kind, record: row.recordId },
          "customer store refused history",
        );
        return "refused";
      }
      await db.historyOutbox.updateMany({
        where: mine,
        data: { attempts: { increment: 1 }, lastError: messageOf(error), leaseOwner: null, leaseUntil: null },
      });
      this.failures += 1;
      const wait = backoffMs(this.failures, this.settings.maxBackoffMs);
      this.pausedUntil = this.now().getTime() + wait;
      this.lastError = { message: messageOf(error), at: this.now() };
      log.warn({ err: error, retryInMs: wait, shop: row.shop }, "customer store unavailable; chat history waits");
      return "failed";
    }
    this.failures = 0;
    this.pausedUntil = 0;
    this.lastDeliveredAt = this.now();
    const done = await db.historyOutbox.updateMany({
      where: mine,
      data: { state: "delivered", payload: null, lastError: null, deliveredAt: this.now(), leaseUntil: null },
    });
    if (done.count === 0 && row.customerId) {
      // The row was deleted while its write was under way: the customer was redacted meanwhile, and the
      // write landed after the redaction. Redacting again removes it.
      await this.deps.store.deleteCustomerData(row.shop, row.customerId);
      log.warn({ shop: row.shop }, "history written during a redaction was removed again");
    }
    return "delivered";
  }

  private async write(row: OutboxRow): Promise<unknown> {
    const { store } = this.deps;
    const { shop, visitorId, customerId, at } = row;
    if (row.kind === "conversation")
      return store.createConversation({ id: row.recordId, shop, visitorId, customerId, at });
    const base = { id: row.recordId, shop, conversationId: row.conversationId, at };
    if (row.kind === "message") {
      const payload = JSON.parse(row.payload ?? "{}") as MessagePayload;
      return store.appendMessage({ ...base, ...payload });
    }
    const payload = JSON.parse(row.payload ?? "{}") as CartPayload;
    return store.recordCartEvent({ ...base, ...payload });
  }

  // ---- state -----------------------------------------------------------------------------------

  async state(): Promise<HistoryOutboxState> {
    const { db } = this.deps;
    const [waiting, oldest, refused] = await Promise.all([
      db.historyOutbox.count({ where: { state: "pending" } }),
      db.historyOutbox.findFirst({ where: { state: "pending" }, orderBy: { seq: "asc" }, select: { createdAt: true } }),
      db.historyOutbox.count({ where: { state: "refused" } }),
    ]);
    return {
      waiting,
      oldestWaitingSince: oldest?.createdAt ?? null,
      refused,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      lastDeliveredAt: this.lastDeliveredAt,
    };
  }

  /**
   * The dashboard's and /healthz's "Customer store" line: whether the store answers now, and how much
   * chat history waits for it. Down is "degraded" overall, not "down": the chat keeps answering.
   */
  async health(ping: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
    const [reachable, state] = await Promise.all([ping(), this.state()]);
    const parts = [reachable.detail];
    if (state.waiting > 0) {
      const since = state.oldestWaitingSince?.toISOString().slice(0, 16).replace("T", " ");
      parts.push(`${state.waiting} chat history writes waiting since ${since} UTC`);
    } else parts.push("no chat history waiting");
    if (state.refused > 0) parts.push(`${state.refused} refused by the store (see the error log)`);
    if (state.lastError && state.waiting > 0) parts.push(`last error: ${state.lastError}`);
    return { ...reachable, detail: parts.join(" · ") };
  }

  /** Deletes delivered rows (no text) older than `keepDeliveredMs`. */
  async prune(): Promise<number> {
    const before = new Date(this.now().getTime() - this.settings.keepDeliveredMs);
    return (await this.deps.db.historyOutbox.deleteMany({ where: { state: "delivered", deliveredAt: { lt: before } } }))
      .count;
  }

  start() {
    this.loop.start(this.settings.pollIntervalMs);
  }

  stop() {
    return this.loop.stop();
  }
}

/**
 * The CustomerStore the app uses in front of an external store: history writes go to the outbox;
 * reads of history merge what the store holds with what still waits; everything else is the store's.
 */
class OutboxedCustomerStore implements CustomerStore {
  readonly kind: CustomerStore["kind"];

  constructor(
    private readonly outbox: HistoryOutbox,
    private readonly store: CustomerStore,
    private readonly db: PrismaClient,
  ) {
    this.kind = store.kind;
  }

  ready() {
    return this.store.ready();
  }
  ping() {
    return this.store.ping();
  }

  // ---- customers and orders: the store's (bounded reads: they feed the chat's customer context) ----
  upsertCustomer(profile: Parameters<CustomerStore["upsertCustomer"]>[0]) {
    return this.store.upsertCustomer(profile);
  }
  getCustomer(shop: string, customerId: string) {
    return this.outbox.read("a customer read", () => this.store.getCustomer(shop, customerId));
  }
  deleteCustomer(shop: string, customerId: string) {
    return this.store.deleteCustomer(shop, customerId);
  }
  upsertOrder(order: Parameters<CustomerStore["upsertOrder"]>[0]) {
    return this.store.upsertOrder(order);
  }
  listOrders(shop: string, customerId: string, limit: number) {
    return this.outbox.read("an order read", () => this.store.listOrders(shop, customerId, limit));
  }
  countOrders(shop: string, customerId: string) {
    return this.outbox.read("an order count", () => this.store.countOrders(shop, customerId));
  }
  deleteCustomerOrders(shop: string, customerId: string) {
    return this.store.deleteCustomerOrders(shop, customerId);
  }

  // ---- history ---------------------------------------------------------------------------------

  private rowsOf(shop: string, conversationId: string, where: Prisma.HistoryOutboxWhereInput = {}) {
    return this.db.historyOutbox.findMany({ where: { shop, conversationId, ...where }, orderBy: { seq: "asc" } });
  }

  async createConversation(input: NewConversation): Promise<Conversation> {
    const id = input.id ?? randomUUID();
    const { shop, visitorId, customerId, at } = input;
    await this.outbox.enqueue({
      shop,
      conversationId: id,
      visitorId,
      customerId,
      kind: "conversation",
      recordId: id,
      payload: {},
      at,
    });
    return { id, shop, visitorId, customerId, startedAt: at, lastMessageAt: at, messageCount: 0 };
  }

  /**
   * The store's conversation with what still waits in the outbox on top. While the store does not
   * answer, the outbox's own rows say who owns the conversation (rows are kept a day after delivery);
   * a conversation it does not know is then not found, and the chat starts a new one.
   */
  async getConversation(shop: string, conversationId: string): Promise<Conversation | null> {
    const rows = await this.rowsOf(shop, conversationId);
    let stored: Conversation | null = null;
    try {
      stored = await this.outbox.read("a conversation read", () => this.store.getConversation(shop, conversationId));
    } catch {
      // Unreachable or slow: answer from the outbox alone.
    }
    if (!rows.length) return stored;
    const first = rows[0];
    const lastAt = rows.reduce((latest, row) => (row.at > latest ? row.at : latest), first.at);
    const counted = Math.max(0, ...rows.map((row) => row.position ?? 0));
    const base: Conversation = stored ?? {
      id: conversationId,
      shop,
      visitorId: first.visitorId,
      customerId: first.customerId,
      startedAt: first.at,
      lastMessageAt: lastAt,
      messageCount: 0,
    };
    return {
      ...base,
      messageCount: Math.max(base.messageCount, counted),
      lastMessageAt: lastAt > base.lastMessageAt ? lastAt : base.lastMessageAt,
    };
  }

  /**
   * The store's page; the first page also leads with conversations still waiting in the outbox (the
   * newest ones), so a data export or the dashboard taken meanwhile misses none. That page can then
   * hold more than `limit` items.
   */
  async listConversations(
    shop: string,
    options: { limit: number; cursor?: string | null; customerId?: string },
  ): Promise<Page<Conversation>> {
    const page = await this.store.listConversations(shop, options);
    if (options.cursor) return page;
    const where = options.customerId === undefined ? {} : { customerId: options.customerId };
    const waiting = await this.db.historyOutbox.findMany({
      where: { shop, kind: "conversation", state: { not: "delivered" }, ...where },
      orderBy: { seq: "desc" },
      select: { conversationId: true },
    });
    const listed = new Set(page.items.map((conversation) => conversation.id));
    const added: Conversation[] = [];
    for (const { conversationId } of waiting) {
      if (listed.has(conversationId)) continue;
      const conversation = await this.getConversation(shop, conversationId);
      if (conversation) added.push(conversation);
    }
    added.sort((a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime());
    return { ...page, items: [...added, ...page.items] };
  }

  /**
   * The conversation a write joins: from the outbox's rows when it has any (every write since goes through
   * it, so the last position is there too), else the store's. Spares the chat a second read of a slow store.
   */
  private async joined(shop: string, conversationId: string): Promise<Conversation | null> {
    const rows = await this.rowsOf(shop, conversationId);
    if (!rows.length) return this.getConversation(shop, conversationId);
    const { visitorId, customerId, at } = rows[0];
    return {
      id: conversationId,
      shop,
      visitorId,
      customerId,
      startedAt: at,
      lastMessageAt: rows[rows.length - 1].at,
      messageCount: Math.max(0, ...rows.map((row) => row.position ?? 0)),
    };
  }

  async appendMessage(input: NewMessage): Promise<ChatMessage> {
    const conversation = await this.joined(input.shop, input.conversationId);
    if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
    const id = input.id ?? randomUUID();
    const position = conversation.messageCount + 1;
    const payload: MessagePayload = { role: input.role, text: input.text, productIds: input.productIds };
    await this.outbox.enqueue({
      shop: input.shop,
      conversationId: conversation.id,
      visitorId: conversation.visitorId,
      customerId: conversation.customerId,
      kind: "message",
      recordId: id,
      position,
      payload,
      at: input.at,
    });
    return { id, conversationId: conversation.id, shop: input.shop, position, createdAt: input.at, ...payload };
  }

  /** The last `limit` messages: the store's, then those still waiting (only those while it is down). */
  async listMessages(shop: string, conversationId: string, limit: number): Promise<ChatMessage[]> {
    const waiting = (await this.rowsOf(shop, conversationId, { kind: "message", state: { not: "delivered" } })).map(
      (row): ChatMessage => ({
        id: row.recordId,
        conversationId,
        shop,
        position: row.position ?? 0,
        createdAt: row.at,
        ...(JSON.parse(row.payload ?? "{}") as MessagePayload),
      }),
    );
    let stored: ChatMessage[] = [];
    try {
      stored = await this.outbox.read("a history read", () => this.store.listMessages(shop, conversationId, limit));
    } catch {
      // Unreachable or slow: the turns written meanwhile are still the conversation's latest.
    }
    const seen = new Set(stored.map((message) => message.id));
    const all = [...stored, ...waiting.filter((message) => !seen.has(message.id))];
    return all.sort((a, b) => a.position - b.position).slice(-limit);
  }

  async recordCartEvent(input: NewCartEvent): Promise<CartEvent> {
    const conversation = await this.joined(input.shop, input.conversationId);
    if (!conversation) throw new CustomerStoreError(`conversation ${input.conversationId} not found in this shop`);
    const id = input.id ?? randomUUID();
    await this.outbox.enqueue({
      shop: input.shop,
      conversationId: conversation.id,
      visitorId: conversation.visitorId,
      customerId: conversation.customerId,
      kind: "cart_event",
      recordId: id,
      payload: { productId: input.productId, variantId: input.variantId },
      at: input.at,
    });
    const { shop, conversationId, productId, variantId, at: createdAt } = input;
    return { id, shop, conversationId, productId, variantId, createdAt };
  }

  async listCartEvents(shop: string, conversationId: string): Promise<CartEvent[]> {
    const stored = await this.store.listCartEvents(shop, conversationId);
    const seen = new Set(stored.map((event) => event.id));
    const waiting = await this.rowsOf(shop, conversationId, { kind: "cart_event", state: { not: "delivered" } });
    return [
      ...stored,
      ...waiting
        .filter((row) => !seen.has(row.recordId))
        .map((row) => ({
          id: row.recordId,
          shop,
          conversationId,
          createdAt: row.at,
          ...(JSON.parse(row.payload ?? "{}") as CartPayload),
        })),
    ];
  }

  deleteConversationsBefore(cutoff: Date) {
    return this.store.deleteConversationsBefore(cutoff);
  }

  // ---- exports: the store's ----------------------------------------------------------------------
  saveDataExport(record: Parameters<CustomerStore["saveDataExport"]>[0]) {
    return this.store.saveDataExport(record);
  }
  listDataExports(shop: string, options: { limit: number; cursor?: string | null }) {
    return this.store.listDataExports(shop, options);
  }
  getDataExport(shop: string, id: string) {
    return this.store.getDataExport(shop, id);
  }
  deleteDataExportsBefore(cutoff: Date) {
    return this.store.deleteDataExportsBefore(cutoff);
  }

  // ---- deletes and counts: the outbox's rows too -------------------------------------------------

  /** Waiting rows of a scope by kind (delivered ones are in the store already). */
  private async waitingCounts(where: Prisma.HistoryOutboxWhereInput) {
    const rows = await this.db.historyOutbox.findMany({
      where: { ...where, state: { not: "delivered" } },
      select: { kind: true },
    });
    return {
      conversations: pendingKinds(rows, "conversation"),
      messages: pendingKinds(rows, "message"),
      cartEvents: pendingKinds(rows, "cart_event"),
    };
  }

  private static add(stored: RecordCounts, waiting: Awaited<ReturnType<OutboxedCustomerStore["waitingCounts"]>>) {
    return {
      ...stored,
      conversations: stored.conversations + waiting.conversations,
      messages: stored.messages + waiting.messages,
      cartEvents: stored.cartEvents + waiting.cartEvents,
    };
  }

  /** The outbox's rows go first, so nothing waiting is delivered after the store was cleared. */
  async deleteCustomerData(shop: string, customerId: string): Promise<RecordCounts> {
    const where = { shop, customerId };
    const waiting = await this.waitingCounts(where);
    await this.db.historyOutbox.deleteMany({ where });
    return OutboxedCustomerStore.add(await this.store.deleteCustomerData(shop, customerId), waiting);
  }

  async deleteShopData(shop: string): Promise<RecordCounts> {
    const waiting = await this.waitingCounts({ shop });
    await this.db.historyOutbox.deleteMany({ where: { shop } });
    return OutboxedCustomerStore.add(await this.store.deleteShopData(shop), waiting);
  }

  async countRecords(scope: RecordScope): Promise<RecordCounts> {
    const where =
      scope.customerId === undefined ? { shop: scope.shop } : { shop: scope.shop, customerId: scope.customerId };
    const [stored, waiting] = await Promise.all([this.store.countRecords(scope), this.waitingCounts(where)]);
    return OutboxedCustomerStore.add(stored, waiting);
  }
}
