import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

export const action = webhookAction("ORDERS_UPDATED", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.orderUpsert(webhook.shop, rawBody),
);
