// The customer, order and compliance webhook handlers (routes pass the raw body: Shopify ids exceed
// 2^53). A body that cannot be used — malformed, or naming another shop — throws
// WebhookPayloadError and changes nothing; the route wrapper acknowledges and logs it (decision 091).
// Store failures propagate, so the delivery fails and Shopify retries it.
import type { Logger } from "../logger.server";
import { requireSameShop } from "../shopify/webhook-payload-error";
import type { Privacy } from "./privacy.server";
import type { CustomerStore } from "./types";
import {
  compliancePayloadFromWebhook,
  customerProfileFromWebhook,
  deletedCustomerIdFromWebhook,
  orderSummaryFromWebhook,
} from "./webhook-payloads";

export interface WebhookHandlerOptions {
  now: () => Date;
  log: Logger;
}

export function createCustomerWebhookHandlers(
  store: CustomerStore,
  privacy: Pick<Privacy, "exportCustomerData" | "redactCustomer">,
  { now, log }: WebhookHandlerOptions,
) {
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
    /** customers/data_request: keyed by Shopify's data_request id, else by the delivery's id. */
    async dataRequest(shop: string, rawBody: string, webhookId: string): Promise<void> {
      const payload = compliancePayloadFromWebhook("customers/data_request", rawBody);
      requireSameShop("customers/data_request", "shop_domain", shop, payload.shopDomain);
      await privacy.exportCustomerData(shop, payload.customerId, payload.dataRequestId ?? `webhook:${webhookId}`);
    },
    /** customers/redact. */
    async redact(shop: string, rawBody: string): Promise<void> {
      const payload = compliancePayloadFromWebhook("customers/redact", rawBody);
      requireSameShop("customers/redact", "shop_domain", shop, payload.shopDomain);
      await privacy.redactCustomer(shop, payload.customerId);
    },
  };
}

export type CustomerWebhookHandlers = ReturnType<typeof createCustomerWebhookHandlers>;
