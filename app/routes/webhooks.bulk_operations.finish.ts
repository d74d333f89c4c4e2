import { logger } from "../lib/logger.server";
import { bulkOperationFinishHandler } from "../lib/sync/webhook-handlers.server";
import { syncEngine } from "../services.server";
import { webhookAction } from "../webhooks.server";

export const action = webhookAction("BULK_OPERATIONS_FINISH", bulkOperationFinishHandler(syncEngine, logger));
