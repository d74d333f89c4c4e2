import { webhookAction } from "../webhooks.server";

export { webhookLoader as loader } from "../webhooks.server";

// Builds and stores the export (listed in the dashboard); a replay of the same request replaces it.
export const action = webhookAction("CUSTOMERS_DATA_REQUEST", (webhook, { rawBody }, { customers }) =>
  customers.webhooks.dataRequest(webhook.shop, rawBody, webhook.webhookId),
);
