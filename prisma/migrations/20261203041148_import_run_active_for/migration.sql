-- One active import run per shop (decision 122): the newest active run of each shop is marked, older
-- active runs of the same shop (left by two processes asking at once before this) end as cancelled.
-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN "activeFor" TEXT;

-- Backfill
UPDATE "ImportRun" SET "activeFor" = "shop"
WHERE "status" IN ('requested', 'exporting', 'downloading', 'indexing')
  AND "id" = (
    SELECT "newest"."id" FROM "ImportRun" AS "newest"
    WHERE "newest"."shop" = "ImportRun"."shop"
      AND "newest"."status" IN ('requested', 'exporting', 'downloading', 'indexing')
    ORDER BY "newest"."startedAt" DESC, "newest"."id" DESC
    LIMIT 1
  );
UPDATE "ImportRun" SET "status" = 'cancelled', "finishedAt" = CURRENT_TIMESTAMP, "error" = 'another import of the shop was under way'
WHERE "status" IN ('requested', 'exporting', 'downloading', 'indexing') AND "activeFor" IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ImportRun_activeFor_key" ON "ImportRun"("activeFor");
