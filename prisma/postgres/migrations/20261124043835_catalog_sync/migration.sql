-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "webhookId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "resourceId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("webhookId")
);

-- CreateTable
CREATE TABLE "ProductSync" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "snapshot" TEXT,
    "snapshotHash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "indexedContentHash" TEXT,
    "indexedMetadataHash" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "changedAt" TIMESTAMP(3),
    "changeSource" TEXT,
    "seenInImportId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductSync_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "total" INTEGER,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "productsDone" INTEGER NOT NULL DEFAULT 0,
    "malformedLines" INTEGER NOT NULL DEFAULT 0,
    "malformedSample" TEXT,
    "removedExtras" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exportFinishedAt" TIMESTAMP(3),
    "downloadedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncShopStats" (
    "shop" TEXT NOT NULL,
    "embeddingCalls" INTEGER NOT NULL DEFAULT 0,
    "embeddedDocuments" INTEGER NOT NULL DEFAULT 0,
    "embeddingTokens" INTEGER NOT NULL DEFAULT 0,
    "metadataUpdates" INTEGER NOT NULL DEFAULT 0,
    "removals" INTEGER NOT NULL DEFAULT 0,
    "webhooksReceived" INTEGER NOT NULL DEFAULT 0,
    "lastWebhookAt" TIMESTAMP(3),
    "lastReconcileAt" TIMESTAMP(3),
    "nextReconcileAt" TIMESTAMP(3),
    "lastDriftMissing" INTEGER NOT NULL DEFAULT 0,
    "lastDriftExtra" INTEGER NOT NULL DEFAULT 0,
    "lastDriftStale" INTEGER NOT NULL DEFAULT 0,
    "lastDriftIndex" INTEGER NOT NULL DEFAULT 0,
    "productsInShopify" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncShopStats_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "SyncLagSample" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "lagMs" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncLagSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "ProductSync_pending_nextAttemptAt_idx" ON "ProductSync"("pending", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ProductSync_shop_pending_idx" ON "ProductSync"("shop", "pending");

-- CreateIndex
CREATE INDEX "ProductSync_leaseOwner_idx" ON "ProductSync"("leaseOwner");

-- CreateIndex
CREATE INDEX "ImportRun_shop_startedAt_idx" ON "ImportRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "ImportRun_status_idx" ON "ImportRun"("status");

-- CreateIndex
CREATE INDEX "SyncLagSample_shop_recordedAt_idx" ON "SyncLagSample"("shop", "recordedAt");
