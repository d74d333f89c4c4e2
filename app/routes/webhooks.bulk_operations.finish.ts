import { acknowledgeOnly, webhookAction } from "../webhooks.server";

export const action = webhookAction("BULK_OPERATIONS_FINISH", acknowledgeOnly);
