import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_UPDATE", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.customerUpsert(webhook.shop, rawBody),
);
