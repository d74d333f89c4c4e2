-- Imports retry by themselves (issue 14): failed attempts of a run and when it may be tried again.
ALTER TABLE "ImportRun" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ImportRun" ADD COLUMN "retryAt" DATETIME;
