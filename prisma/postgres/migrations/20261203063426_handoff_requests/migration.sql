-- CreateTable
CREATE TABLE "HandoffRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "customerId" TEXT,
    "reason" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "consentText" TEXT NOT NULL,
    "packet" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "flowStatus" TEXT NOT NULL DEFAULT 'pending',
    "flowError" TEXT,

    CONSTRAINT "HandoffRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HandoffRequest_shop_status_createdAt_idx" ON "HandoffRequest"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "HandoffRequest_shop_customerId_idx" ON "HandoffRequest"("shop", "customerId");

-- CreateIndex
CREATE INDEX "HandoffRequest_createdAt_idx" ON "HandoffRequest"("createdAt");
