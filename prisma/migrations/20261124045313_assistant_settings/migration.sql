-- CreateTable
CREATE TABLE "AssistantSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "persona" TEXT NOT NULL,
    "tone" TEXT NOT NULL,
    "answerLength" TEXT NOT NULL,
    "indexedFieldsJson" TEXT NOT NULL,
    "widgetTitle" TEXT NOT NULL,
    "widgetGreeting" TEXT NOT NULL,
    "widgetPlaceholder" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
