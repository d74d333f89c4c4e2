import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

export const action = webhookAction("ORDERS_CREATE", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.orderUpsert(webhook.shop, rawBody),
);
