-- CreateTable
CREATE TABLE "LifecycleJob" (
    "webhookId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '{}',
    "eventAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stepsDone" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "outcome" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "LifecycleJob_pkey" PRIMARY KEY ("webhookId")
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
