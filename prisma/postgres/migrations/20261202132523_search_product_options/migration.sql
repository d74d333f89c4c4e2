-- CreateTable
CREATE TABLE "SearchProductOption" (
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "productId" TEXT NOT NULL,

    CONSTRAINT "SearchProductOption_pkey" PRIMARY KEY ("shop","name","value","productId")
);

-- CreateIndex
CREATE INDEX "SearchProductOption_shop_productId_idx" ON "SearchProductOption"("shop", "productId");

-- Raw SQL, written by hand: the option rows of products already in the catalog, one per
-- "Name:Value" pair of the delimited "optionValues" ("|Size:M|Color:Blue|"), split at the first
-- colon as optionPairs (app/lib/search/query-parser.ts) does for new writes.
INSERT INTO "SearchProductOption" ("shop", "name", "value", "productId")
SELECT p."shop", split_part(pair, ':', 1), substr(pair, strpos(pair, ':') + 1), p."productId"
FROM "SearchProduct" p, unnest(string_to_array(p."optionValues", '|')) AS pair
WHERE strpos(pair, ':') > 1
ON CONFLICT DO NOTHING;
