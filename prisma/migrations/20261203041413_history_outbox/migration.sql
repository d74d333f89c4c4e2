-- Chat history waiting for an external customer store (Appwrite), delivered in order by a worker (decision 121).
-- CreateTable
CREATE TABLE "HistoryOutbox" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "customerId" TEXT,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "position" INTEGER,
    "payload" TEXT,
    "at" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "HistoryOutbox_recordId_key" ON "HistoryOutbox"("recordId");

-- CreateIndex
CREATE INDEX "HistoryOutbox_state_seq_idx" ON "HistoryOutbox"("state", "seq");

-- CreateIndex
CREATE INDEX "HistoryOutbox_shop_conversationId_seq_idx" ON "HistoryOutbox"("shop", "conversationId", "seq");

-- CreateIndex
CREATE INDEX "HistoryOutbox_shop_customerId_idx" ON "HistoryOutbox"("shop", "customerId");

-- CreateIndex
CREATE INDEX "HistoryOutbox_deliveredAt_idx" ON "HistoryOutbox"("deliveredAt");
