-- CreateTable
CREATE TABLE "AssistantSettings" (
    "shop" TEXT NOT NULL,
    "persona" TEXT NOT NULL,
    "tone" TEXT NOT NULL,
    "answerLength" TEXT NOT NULL,
    "indexedFieldsJson" TEXT NOT NULL,
    "widgetTitle" TEXT NOT NULL,
    "widgetGreeting" TEXT NOT NULL,
    "widgetPlaceholder" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssistantSettings_pkey" PRIMARY KEY ("shop")
);
