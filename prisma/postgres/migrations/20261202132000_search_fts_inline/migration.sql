-- Raw SQL, written by hand (docs/decisions/096, 100): no schema change, so no SQLite counterpart.
-- (No semicolons or quotes in these comments: the migration runner splits the script on them.)
-- The weighted tsvector (about 0.9 KB compressed with the demo catalog descriptions) went to the
-- TOAST table, and a full-text match of a common word read it back from there for every row:
-- 36 ms for "rain jacket" at 10,000 products. MAIN keeps it in the row (compressed, out of line
-- only when a row cannot fit a page) and the same query takes 11 ms, the long text and metadata
-- columns go out of line instead. Ranking is unchanged.
ALTER TABLE "SearchProduct" ALTER COLUMN "fts" SET STORAGE MAIN;

-- Existing rows: an update recomputes the generated column, stored the new way.
UPDATE "SearchProduct" SET "updatedAt" = "updatedAt";
