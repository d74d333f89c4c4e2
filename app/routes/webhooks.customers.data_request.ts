import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_DATA_REQUEST", acknowledgeOnly);
