// Privacy over any CustomerStore: data-request exports, customer redaction, shop data deletion,
// chat and export retention. Decisions 080 (what is kept and exported), 082 and 102 (retention).
// Nothing here runs by itself: the composition root calls `startRetentionJob()` once and keeps its stop function.
import type { Logger } from "../logger.server";
import { PAGE_MAX, pageLimit, requireCustomerId, requireText } from "./input-checks";
import type { CartEvent, Conversation, CustomerStore, DataExportRecord, Page, RecordCounts } from "./types";

const EXPORT_FORMAT = "aisle.customer-data-export/1";
const DAY_MS = 86_400_000;

export interface PrivacyOptions {
  /** Conversations whose last activity is older than this many days are deleted; 0 keeps them. */
  retentionDays: number;
  /** Data exports (full chat text) older than this many days are deleted; 0 keeps them. */
  exportRetentionDays?: number;
  now: () => Date;
  log: Logger;
  /** Customer data the app keeps outside this store (the handoff queue): the same privacy paths reach it. */
  related?: RelatedCustomerData;
}

/** What the app keeps about a customer beyond the customer store, and how each privacy path reaches it. */
export interface RelatedCustomerData {
  exportFor(shop: string, customerId: string): Promise<unknown[]>;
  deleteCustomer(shop: string, customerId: string): Promise<number>;
  deleteShop(shop: string): Promise<number>;
  /** Retention: rows older than the conversations kept. */
  deleteBefore(cutoff: Date): Promise<number>;
}

export function createPrivacy(
  store: CustomerStore,
  { retentionDays, exportRetentionDays = 0, now, log, related }: PrivacyOptions,
) {
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
    const [profile, orders, conversations, handoffRequests] = await Promise.all([
      store.getCustomer(shop, customerId),
      store.listOrders(shop, customerId, Number.MAX_SAFE_INTEGER),
      conversationsOf(shop, customerId),
      related?.exportFor(shop, customerId) ?? [],
    ]);
    // One conversation at a time: a large history is read in bounded pieces, not all at once.
    const withMessages = [];
    for (const conversation of conversations) {
      const [messages, cartEvents] = await Promise.all([
        store.listMessages(shop, conversation.id, Number.MAX_SAFE_INTEGER),
        store.listCartEvents(shop, conversation.id),
      ]);
      withMessages.push({
        ...conversation,
        messages,
        addToCartEvents: cartEvents.map(({ productId, variantId, createdAt }: CartEvent) => ({
          productId,
          variantId,
          createdAt,
        })),
      });
    }
    return {
      format: EXPORT_FORMAT,
      shop,
      customerId,
      generatedAt: now().toISOString(),
      note:
        "Everything Aisle stores about this customer. Aisle keeps no addresses, phone numbers or payment " +
        "data, and no per-customer vectors; the only email is one the customer typed into the chat's " +
        "contact form (handoffRequests).",
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
      handoffRequests,
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

  /** The merchant's list of exports (dashboard), newest first. */
  async function listDataExports(shop: string, page: { limit?: number; cursor?: string | null } = {}) {
    return store.listDataExports(shop, { limit: pageLimit(page.limit), cursor: page.cursor });
  }

  async function getDataExport(shop: string, id: string): Promise<DataExportRecord | null> {
    return store.getDataExport(shop, id);
  }

  /** customers/redact: everything of one customer of one shop. */
  async function redactCustomer(shop: string, customerId: string): Promise<RecordCounts> {
    requireCustomerId(customerId);
    const counts = await store.deleteCustomerData(shop, customerId);
    const handoffRequests = (await related?.deleteCustomer(shop, customerId)) ?? 0;
    log.info({ shop, counts, handoffRequests }, "customer data redacted");
    return counts;
  }

  /** Everything of a shop, in this store (shop/redact). There are no per-customer vectors to drop. */
  async function deleteShopData(shop: string): Promise<RecordCounts> {
    requireText("shop", shop);
    const counts = await store.deleteShopData(shop);
    const handoffRequests = (await related?.deleteShop(shop)) ?? 0;
    log.info({ shop, counts, handoffRequests }, "shop customer data deleted");
    return counts;
  }

  /** Deletes conversations idle longer than the retention period; says how many. */
  async function purgeExpiredConversations(): Promise<number> {
    if (retentionDays <= 0) return 0;
    const cutoff = new Date(now().getTime() - retentionDays * DAY_MS);
    const deleted = await store.deleteConversationsBefore(cutoff);
    const handoffRequests = (await related?.deleteBefore(cutoff)) ?? 0;
    if (deleted || handoffRequests) log.info({ deleted, handoffRequests, cutoff }, "expired conversations deleted");
    return deleted;
  }

  /** Deletes data exports older than their retention period (they hold full chat text); says how many. */
  async function purgeExpiredExports(): Promise<number> {
    if (exportRetentionDays <= 0) return 0;
    const cutoff = new Date(now().getTime() - exportRetentionDays * DAY_MS);
    const deleted = await store.deleteDataExportsBefore(cutoff);
    if (deleted) log.info({ deleted, cutoff }, "expired data exports deleted");
    return deleted;
  }

  /**
   * Runs the retention purge now and then every `intervalMs` (default: hourly) until the returned
   * function is called. One instance is enough; running it on several is harmless (deletes are
   * idempotent). The timer is unref'd: it never keeps the process alive.
   */
  function startRetentionJob(intervalMs = 3_600_000): () => void {
    const run = () =>
      Promise.all([purgeExpiredConversations(), purgeExpiredExports()]).catch((error: unknown) =>
        log.error({ err: error }, "retention purge failed"),
      );
    void run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  return {
    collectCustomerData,
    exportCustomerData,
    listDataExports,
    getDataExport,
    redactCustomer,
    deleteShopData,
    purgeExpiredConversations,
    purgeExpiredExports,
    startRetentionJob,
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;
