-- CreateIndex
CREATE INDEX "ProductSync_changeSource_idx" ON "ProductSync"("changeSource");
