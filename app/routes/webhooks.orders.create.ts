import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("ORDERS_CREATE", acknowledgeOnly);
