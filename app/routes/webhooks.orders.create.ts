import { customers } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("ORDERS_CREATE", (webhook, { rawBody }) =>
  customers.webhooks.orderUpsert(webhook.shop, rawBody),
);
