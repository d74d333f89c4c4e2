// products/create|update|delete intake, inside the webhook request: parse, apply to sync state,
// record the delivery, answer. No embedding and no vector-store call here — the worker does that.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { deletedProductIdFromWebhook, productFromWebhook } from "../shopify/product-from-webhook";
import { applyProductChange, isUniqueViolation, type ApplyResult } from "./product-state.server";
import { recordWebhookReceived } from "./sync-stats.server";

export const PRODUCT_TOPICS = ["PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE"] as const;
export type ProductTopic = (typeof PRODUCT_TOPICS)[number];

export interface ProductWebhook {
  shop: string;
  topic: ProductTopic;
  webhookId: string;
  rawBody: string;
  /** The shop has an offline session (installed). Deliveries for uninstalled shops are ignored. */
  installed: boolean;
}

export type IntakeResult = ApplyResult | "duplicate" | "ignored";

/**
 * The change is applied before the delivery is recorded: a recorded delivery always means its change
 * is in the state, and applying twice is harmless (same content → unchanged). Throws
 * WebhookPayloadError (nothing written) when the body is not a product payload.
 */
export async function intakeProductWebhook(
  db: PrismaClient,
  log: Logger,
  webhook: ProductWebhook,
): Promise<IntakeResult> {
  const { shop, topic, webhookId, rawBody } = webhook;
  if (!webhook.installed) {
    log.info({ shop, topic, webhookId }, "webhook for a shop without a session: acknowledged, ignored");
    return "ignored";
  }
  if (await db.webhookDelivery.findUnique({ where: { webhookId }, select: { webhookId: true } })) return "duplicate";
  const receivedAt = new Date();
  const change =
    topic === "PRODUCTS_DELETE"
      ? ({ kind: "delete", productId: deletedProductIdFromWebhook(rawBody), source: "webhook", receivedAt } as const)
      : ({
          kind: "upsert",
          product: productFromWebhook(rawBody),
          partial: true,
          source: "webhook",
          receivedAt,
        } as const);
  const result = await applyProductChange(db, shop, change);
  try {
    await db.webhookDelivery.create({
      data: {
        webhookId,
        shop,
        topic,
        resourceId: change.kind === "delete" ? change.productId : change.product.id,
        receivedAt,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
  await recordWebhookReceived(db, shop, receivedAt);
  return result;
}
