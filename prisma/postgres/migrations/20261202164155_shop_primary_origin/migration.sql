-- The storefront's primary domain as an origin, read at install: it may stream chat answers (decision 105).
ALTER TABLE "Shop" ADD COLUMN "primaryOrigin" TEXT;
