-- CreateTable
CREATE TABLE "HandoffRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "flowStatus" TEXT NOT NULL DEFAULT 'pending',
    "flowError" TEXT
);

-- CreateIndex
CREATE INDEX "HandoffRequest_shop_status_createdAt_idx" ON "HandoffRequest"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "HandoffRequest_shop_customerId_idx" ON "HandoffRequest"("shop", "customerId");

-- CreateIndex
CREATE INDEX "HandoffRequest_createdAt_idx" ON "HandoffRequest"("createdAt");
