-- CreateTable
CREATE TABLE "ChatRateWindow" (
    "key" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("key", "windowStart")
);

-- CreateTable
CREATE TABLE "ChatTokenUsage" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "day")
);

-- CreateIndex
CREATE INDEX "ChatRateWindow_windowStart_idx" ON "ChatRateWindow"("windowStart");
