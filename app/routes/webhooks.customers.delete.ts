import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("CUSTOMERS_DELETE", acknowledgeOnly);
