-- CreateTable
CREATE TABLE "ChatRateWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ChatRateWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "ChatTokenUsage" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatTokenUsage_pkey" PRIMARY KEY ("shop","day")
);

-- CreateIndex
CREATE INDEX "ChatRateWindow_windowStart_idx" ON "ChatRateWindow"("windowStart");
