-- Results: every order's attribution to a conversation or none, the storefront funnel counts, the holdout setting (decisions 112, 113).
-- AlterTable
ALTER TABLE "AssistantSettings" ADD COLUMN     "holdoutPercent" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "OrderAttribution" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "conversationId" TEXT,
    "visitorGroup" TEXT,
    "chatLinesJson" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderAttribution_pkey" PRIMARY KEY ("shop","orderId")
);

-- CreateTable
CREATE TABLE "ResultsDailyCount" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ResultsDailyCount_pkey" PRIMARY KEY ("shop","day","metric","group")
);

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_placedAt_idx" ON "OrderAttribution"("shop", "placedAt");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_conversationId_idx" ON "OrderAttribution"("shop", "conversationId");
