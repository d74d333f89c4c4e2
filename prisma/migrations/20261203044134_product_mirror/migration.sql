-- The product metadata mirror in Appwrite (APPWRITE_PRODUCTS): what each product's document needs (decision 120).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ProductSync" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "shopifyUpdatedAt" DATETIME,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "snapshot" TEXT,
    "snapshotHash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "indexedContentHash" TEXT,
    "indexedMetadataHash" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "changedAt" DATETIME,
    "changeSource" TEXT,
    "seenInImportId" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "mirrorPending" BOOLEAN NOT NULL DEFAULT false,
    "mirrorVersion" INTEGER NOT NULL DEFAULT 0,
    "mirroredHash" TEXT,

    PRIMARY KEY ("shop", "productId")
);
INSERT INTO "new_ProductSync" ("attempts", "changeSource", "changedAt", "deleted", "indexedContentHash", "indexedMetadataHash", "lastError", "leaseOwner", "leaseUntil", "nextAttemptAt", "pending", "productId", "seenInImportId", "shop", "shopifyUpdatedAt", "snapshot", "snapshotHash", "updatedAt", "version") SELECT "attempts", "changeSource", "changedAt", "deleted", "indexedContentHash", "indexedMetadataHash", "lastError", "leaseOwner", "leaseUntil", "nextAttemptAt", "pending", "productId", "seenInImportId", "shop", "shopifyUpdatedAt", "snapshot", "snapshotHash", "updatedAt", "version" FROM "ProductSync";
DROP TABLE "ProductSync";
ALTER TABLE "new_ProductSync" RENAME TO "ProductSync";
CREATE INDEX "ProductSync_mirrorPending_idx" ON "ProductSync"("mirrorPending");
CREATE INDEX "ProductSync_pending_nextAttemptAt_idx" ON "ProductSync"("pending", "nextAttemptAt");
CREATE INDEX "ProductSync_shop_pending_idx" ON "ProductSync"("shop", "pending");
CREATE INDEX "ProductSync_changeSource_idx" ON "ProductSync"("changeSource");
CREATE INDEX "ProductSync_leaseOwner_idx" ON "ProductSync"("leaseOwner");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
