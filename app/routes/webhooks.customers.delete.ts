import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_DELETE", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.customerDeleted(webhook.shop, rawBody),
);
