-- Results: every order's attribution to a conversation or none, the storefront funnel counts, the holdout setting (decisions 112, 113).
-- CreateTable
CREATE TABLE "OrderAttribution" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "placedAt" DATETIME NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "cancelledAt" DATETIME,
    "conversationId" TEXT,
    "visitorGroup" TEXT,
    "chatLinesJson" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" DATETIME NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "orderId")
);

-- CreateTable
CREATE TABLE "ResultsDailyCount" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "day", "metric", "group")
);

-- AlterTable (SQLite adds a NOT NULL column with a constant default in place)
ALTER TABLE "AssistantSettings" ADD COLUMN "holdoutPercent" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_placedAt_idx" ON "OrderAttribution"("shop", "placedAt");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_conversationId_idx" ON "OrderAttribution"("shop", "conversationId");
