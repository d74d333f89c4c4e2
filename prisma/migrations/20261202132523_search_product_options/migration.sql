-- CreateTable
CREATE TABLE "SearchProductOption" (
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "productId" TEXT NOT NULL,

    PRIMARY KEY ("shop", "name", "value", "productId")
);

-- CreateIndex
CREATE INDEX "SearchProductOption_shop_productId_idx" ON "SearchProductOption"("shop", "productId");

-- Raw SQL, written by hand: the option rows of products already in the catalog, one per
-- "Name:Value" pair of the delimited "optionValues" ("|Size:M|Color:Blue|"), split at the first
-- colon as optionPairs (app/lib/search/query-parser.ts) does for new writes.
WITH RECURSIVE "pairs"("shop", "productId", "pair", "rest") AS (
    SELECT "shop", "productId", '', "optionValues" || '|' FROM "SearchProduct"
    UNION ALL
    SELECT "shop", "productId", substr("rest", 1, instr("rest", '|') - 1), substr("rest", instr("rest", '|') + 1)
    FROM "pairs" WHERE instr("rest", '|') > 0
)
INSERT OR IGNORE INTO "SearchProductOption" ("shop", "name", "value", "productId")
SELECT "shop", substr("pair", 1, instr("pair", ':') - 1), substr("pair", instr("pair", ':') + 1), "productId"
FROM "pairs" WHERE instr("pair", ':') > 1;
