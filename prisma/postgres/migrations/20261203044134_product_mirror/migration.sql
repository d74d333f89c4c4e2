-- The product metadata mirror in Appwrite (APPWRITE_PRODUCTS): what each product's document needs (decision 120).
-- AlterTable
ALTER TABLE "ProductSync" ADD COLUMN     "mirrorPending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mirrorVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "mirroredHash" TEXT;

-- CreateIndex
CREATE INDEX "ProductSync_mirrorPending_idx" ON "ProductSync"("mirrorPending");
