-- CreateTable
CREATE TABLE "LifecycleJob" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '{}',
    "eventAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stepsDone" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "outcome" TEXT,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "LifecycleJob_status_nextAttemptAt_idx" ON "LifecycleJob"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "LifecycleJob_shop_eventAt_idx" ON "LifecycleJob"("shop", "eventAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");

-- CreateIndex
CREATE INDEX "SyncLagSample_recordedAt_idx" ON "SyncLagSample"("recordedAt");

-- CreateIndex
CREATE INDEX "CustomerDataExport_createdAt_idx" ON "CustomerDataExport"("createdAt");
