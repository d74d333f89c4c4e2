import { customers } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("ORDERS_UPDATED", (webhook, { rawBody }) =>
  customers.webhooks.orderUpsert(webhook.shop, rawBody),
);
