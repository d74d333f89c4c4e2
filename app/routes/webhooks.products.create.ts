import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("PRODUCTS_CREATE", acknowledgeOnly);
