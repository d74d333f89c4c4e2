-- AlterTable
ALTER TABLE "KnowledgePassage" ADD COLUMN "heading" TEXT;

-- CreateTable
CREATE TABLE "KnowledgeRefresh" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "refreshedAt" DATETIME NOT NULL,
    "error" TEXT,
    "leasedUntil" DATETIME
);
