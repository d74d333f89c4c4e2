-- CreateTable
CREATE TABLE "SearchProduct" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "minPrice" REAL NOT NULL,
    "maxPrice" REAL NOT NULL,
    "available" BOOLEAN NOT NULL,
    "productType" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "optionValues" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "tags" TEXT NOT NULL,
    "skus" TEXT NOT NULL,
    "barcodes" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "metadataHash" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "keywords" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "metadata" TEXT NOT NULL,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "SearchProductCode" (
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT,

    PRIMARY KEY ("shop", "code", "productId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SearchIndex" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "activeCollection" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "dimensions" INTEGER,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,
    "vocabularyVersion" INTEGER NOT NULL DEFAULT 0,
    "rebuildingCollection" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_SearchIndex" ("activeCollection", "createdAt", "dimensions", "generation", "model", "provider", "rebuildingCollection", "shop", "updatedAt", "version") SELECT "activeCollection", "createdAt", "dimensions", "generation", "model", "provider", "rebuildingCollection", "shop", "updatedAt", "version" FROM "SearchIndex";
DROP TABLE "SearchIndex";
ALTER TABLE "new_SearchIndex" RENAME TO "SearchIndex";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SearchProduct_filters_idx" ON "SearchProduct"("shop", "productId", "available", "minPrice", "maxPrice", "productType", "vendor");

-- CreateIndex
CREATE INDEX "SearchProduct_type_filters_idx" ON "SearchProduct"("shop", "productType", "available", "minPrice", "maxPrice", "vendor", "productId");

-- CreateIndex
CREATE INDEX "SearchProduct_vendor_filters_idx" ON "SearchProduct"("shop", "vendor", "available", "minPrice", "maxPrice", "productType", "productId");

-- CreateIndex
CREATE INDEX "SearchProductCode_shop_productId_idx" ON "SearchProductCode"("shop", "productId");

-- Raw SQL, written by hand (docs/decisions/096): Prisma cannot model an FTS5 table. The migration
-- tooling diffs schema snapshots (prisma/migrated-schema.prisma), not the database, so this table
-- causes no drift in later migrations. One FTS5 row per "SearchProduct" row under the same rowid,
-- written by app/lib/search/sql-catalog-store.server.ts in the transaction that writes the row.
-- Contentless (the text lives in "SearchProduct"); contentless_delete lets rows be deleted by rowid.
-- Columns in bm25() weight order: title, brand (vendor + product type), tags, options (values
-- without names), codes (handle, SKUs, barcodes), body (the embedded text); then shop, one token
-- per shop (weight 0) that every query requires, so a match never walks other shops' entries.
CREATE VIRTUAL TABLE "SearchProductFts" USING fts5(
    title, brand, tags, options, codes, body, shop,
    content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
);
