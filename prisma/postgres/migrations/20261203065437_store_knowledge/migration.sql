-- AlterTable
ALTER TABLE "KnowledgePassage" ADD COLUMN     "heading" TEXT;

-- CreateTable
CREATE TABLE "KnowledgeRefresh" (
    "shop" TEXT NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "leasedUntil" TIMESTAMP(3),

    CONSTRAINT "KnowledgeRefresh_pkey" PRIMARY KEY ("shop")
);
