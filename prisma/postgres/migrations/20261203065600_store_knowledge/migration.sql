-- CreateTable
CREATE TABLE "KnowledgeSource" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "contentHash" TEXT NOT NULL,
    "embeddingModel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgePassage" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT,
    "text" TEXT NOT NULL,
    "embedding" TEXT NOT NULL,

    CONSTRAINT "KnowledgePassage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeQuestion" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnowledgeQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnowledgeRefresh" (
    "shop" TEXT NOT NULL,
    "refreshedAt" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "leasedUntil" TIMESTAMP(3),

    CONSTRAINT "KnowledgeRefresh_pkey" PRIMARY KEY ("shop")
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

-- AddForeignKey
ALTER TABLE "KnowledgePassage" ADD CONSTRAINT "KnowledgePassage_sourceKey_fkey" FOREIGN KEY ("sourceKey") REFERENCES "KnowledgeSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
