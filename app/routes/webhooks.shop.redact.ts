import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("SHOP_REDACT", acknowledgeOnly);
