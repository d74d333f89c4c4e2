// The customer features as one object for the composition root (app/services.server.ts): it only
// composes the parts — conversations and customer context (conversations.server.ts), privacy and
// retention (privacy.server.ts), webhook handlers (webhook-handlers.server.ts) — over one store.
// Creating it starts nothing; `startRetentionJob()` is the explicit call that does.
import { createLogger, type Logger } from "../logger.server";
import { createConversations } from "./conversations.server";
import { createPrivacy, type RelatedCustomerData } from "./privacy.server";
import type { CustomerStore } from "./types";
import { createCustomerWebhookHandlers } from "./webhook-handlers.server";

export interface CustomerServiceOptions {
  /** Conversations whose last activity is older than this many days are deleted; 0 keeps them. */
  retentionDays: number;
  /** Data exports older than this many days are deleted; 0 (the default) keeps them. */
  exportRetentionDays?: number;
  /** Defaults to the app logger. */
  logger?: Logger;
  now?: () => Date;
  /** Customer data kept outside the store (the handoff queue), for the privacy paths. */
  related?: RelatedCustomerData;
}

export function createCustomerService(store: CustomerStore, options: CustomerServiceOptions) {
  const now = options.now ?? (() => new Date());
  const log = options.logger ?? createLogger("info").child({ component: "customers" });
  const privacy = createPrivacy(store, {
    retentionDays: options.retentionDays,
    exportRetentionDays: options.exportRetentionDays,
    now,
    log,
    related: options.related,
  });
  return {
    store,
    ...createConversations(store, { now }),
    ...privacy,
    webhooks: createCustomerWebhookHandlers(store, { now, log }),
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
