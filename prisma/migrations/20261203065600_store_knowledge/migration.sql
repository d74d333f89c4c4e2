-- CreateTable
CREATE TABLE "KnowledgeSource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "contentHash" TEXT NOT NULL,
    "embeddingModel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KnowledgePassage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT,
    "text" TEXT NOT NULL,
    "embedding" TEXT NOT NULL,
    CONSTRAINT "KnowledgePassage_sourceKey_fkey" FOREIGN KEY ("sourceKey") REFERENCES "KnowledgeSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KnowledgeQuestion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KnowledgeRefresh" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "refreshedAt" DATETIME NOT NULL,
    "error" TEXT,
    "leasedUntil" DATETIME
);

-- CreateIndex
CREATE INDEX "KnowledgeSource_shop_idx" ON "KnowledgeSource"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgeSource_shop_kind_sourceId_key" ON "KnowledgeSource"("shop", "kind", "sourceId");

-- CreateIndex
CREATE INDEX "KnowledgePassage_shop_idx" ON "KnowledgePassage"("shop");

-- CreateIndex
CREATE INDEX "KnowledgePassage_sourceKey_idx" ON "KnowledgePassage"("sourceKey");

-- CreateIndex
CREATE INDEX "KnowledgeQuestion_shop_idx" ON "KnowledgeQuestion"("shop");
