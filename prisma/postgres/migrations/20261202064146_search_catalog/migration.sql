-- AlterTable
ALTER TABLE "SearchIndex" ADD COLUMN     "vocabularyVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SearchProduct" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "minPrice" DOUBLE PRECISION NOT NULL,
    "maxPrice" DOUBLE PRECISION NOT NULL,
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
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "keywords" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "metadata" TEXT NOT NULL,

    CONSTRAINT "SearchProduct_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "SearchProductCode" (
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "sku" TEXT,

    CONSTRAINT "SearchProductCode_pkey" PRIMARY KEY ("shop","code","productId")
);

-- CreateIndex
CREATE INDEX "SearchProduct_filters_idx" ON "SearchProduct"("shop", "productId", "available", "minPrice", "maxPrice", "productType", "vendor");

-- CreateIndex
CREATE INDEX "SearchProduct_type_filters_idx" ON "SearchProduct"("shop", "productType", "available", "minPrice", "maxPrice", "vendor", "productId");

-- CreateIndex
CREATE INDEX "SearchProduct_vendor_filters_idx" ON "SearchProduct"("shop", "vendor", "available", "minPrice", "maxPrice", "productType", "productId");

-- CreateIndex
CREATE INDEX "SearchProductCode_shop_productId_idx" ON "SearchProductCode"("shop", "productId");

-- Raw SQL, written by hand (docs/decisions/096): Prisma cannot model a generated tsvector column.
-- The migration tooling diffs schema snapshots (prisma/postgres/migrated-schema.prisma), not the
-- database, so the function, column and index cause no drift in later migrations.
-- "search_fold": what the application's query terms see (app/lib/search/search-terms.ts):
-- lower case, punctuation as word breaks (so "NP-STORM-M" gives np, storm, m and a "/" never makes
-- a file-path token), common Latin accents folded (the 'english' config keeps accents).
CREATE FUNCTION "search_fold"(value TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(regexp_replace(lower(value), '[[:punct:]]+', ' ', 'g'),
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőùúûüūůűýÿžźżšśşťřĺľğ',
        'aaaaaaaaacccdeeeeeeeeiiiiiinnnooooooouuuuuuuyyzzzssstrllg') $$;

-- Weights mirror the former in-memory boosts: A title + codes (3), B vendor + product type (2),
-- C tags + option values without names (1.5 / 1.2), D the embedded text (1).
ALTER TABLE "SearchProduct" ADD COLUMN "fts" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', search_fold("title" || ' ' || "keywords" || ' ' || "skus" || ' ' || "barcodes")), 'A') ||
    setweight(to_tsvector('english', search_fold("vendor" || ' ' || "productType")), 'B') ||
    setweight(to_tsvector('english', search_fold("tags" || ' ' || regexp_replace("optionValues", '\|[^|:]*:', '|', 'g'))), 'C') ||
    setweight(to_tsvector('english', search_fold("text")), 'D')
) STORED;

CREATE INDEX "SearchProduct_fts_idx" ON "SearchProduct" USING GIN ("fts");
