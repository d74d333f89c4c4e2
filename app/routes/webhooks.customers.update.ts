import { customers } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_UPDATE", (webhook, { rawBody }) =>
  customers.webhooks.customerUpsert(webhook.shop, rawBody),
);
