import { webhookAction } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_UPDATE", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.customerUpsert(webhook.shop, rawBody),
);
