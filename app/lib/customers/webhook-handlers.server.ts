// The customer and order webhook handlers (routes pass the raw body: Shopify ids exceed 2^53); the
// compliance topics are lifecycle jobs (app/lib/lifecycle). A body that cannot be used throws
// WebhookPayloadError and changes nothing; the route wrapper acknowledges and logs it (decision 091).
// Store failures propagate, so the delivery fails and Shopify retries it.
import type { Logger } from "../logger.server";
import type { CustomerStore } from "./types";
import { customerProfileFromWebhook, deletedCustomerIdFromWebhook, orderSummaryFromWebhook } from "./webhook-payloads";

export interface WebhookHandlerOptions {
  now: () => Date;
  log: Logger;
}

export function createCustomerWebhookHandlers(store: CustomerStore, { now, log }: WebhookHandlerOptions) {
  return {
    /** customers/create and customers/update. */
    async customerUpsert(shop: string, rawBody: string): Promise<void> {
      const result = await store.upsertCustomer(customerProfileFromWebhook(shop, rawBody, now()));
      if (result === "stale") log.info({ shop }, "older customer version ignored");
    },
    /** customers/delete. */
    async customerDeleted(shop: string, rawBody: string): Promise<void> {
      // The customer no longer exists in the shop: drop what came from Shopify about them. Their
      // conversations follow retention or customers/redact, which Shopify sends for erasure.
      const customerId = deletedCustomerIdFromWebhook(rawBody);
      await store.deleteCustomer(shop, customerId);
      await store.deleteCustomerOrders(shop, customerId);
    },
    /** orders/create and orders/updated. */
    async orderUpsert(shop: string, rawBody: string): Promise<void> {
      const order = orderSummaryFromWebhook(shop, rawBody);
      if (!order) return; // guest checkout: nothing to attach it to
      const result = await store.upsertOrder(order);
      if (result === "stale") log.info({ shop }, "older order version ignored");
    },
  };
}

export type CustomerWebhookHandlers = ReturnType<typeof createCustomerWebhookHandlers>;
