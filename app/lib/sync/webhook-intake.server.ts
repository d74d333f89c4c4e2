// products/create|update|delete intake, inside the webhook request: parse, apply to sync state,
// record the delivery, answer. No embedding and no vector-store call here — the worker does that.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { deletedProductIdFromWebhook, productFromWebhook } from "../shopify/product-from-webhook";
import { isUniqueViolation } from "../db/prisma-errors";
import { applyProductChange, type ApplyResult } from "./product-state.server";

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
 * The change and the delivery record are written in one transaction: a recorded delivery always
 * means its change is in the state; a replay finds the record and changes nothing. Throws
 * WebhookPayloadError (nothing written) when the body is not a product payload.
 */
export async function intakeProductWebhook(
  db: PrismaClient,
  log: Logger,
  webhook: ProductWebhook,
  attempt = 0,
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
  try {
    // One transaction: the change and its delivery record land together (and SQLite syncs once). The
    // shop's webhook counters are written afterwards, grouped (WebhookReceipts): a row every delivery
    // of the shop would lock.
    return await db.$transaction(async (tx) => {
      const result = await applyProductChange(tx, shop, change);
      await tx.webhookDelivery.create({
        data: {
          webhookId,
          shop,
          topic,
          resourceId: change.kind === "delete" ? change.productId : change.product.id,
          receivedAt,
        },
      });
      return result;
    });
  } catch (error) {
    // A concurrent copy of this delivery (or of this product's first row) won the race: look again.
    if (isUniqueViolation(error) && attempt < 2) return intakeProductWebhook(db, log, webhook, attempt + 1);
    throw error;
  }
}
