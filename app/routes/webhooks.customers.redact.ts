import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Deletes everything stored about the customer (idempotent: a replay deletes nothing more).
export const action = webhookAction("CUSTOMERS_REDACT", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.redact(webhook.shop, rawBody),
);
