-- Raw SQL, written by hand (docs/decisions/132): no schema change, so no SQLite counterpart.
-- (No semicolons or quotes in these comments: the migration runner splits the script on them.)
-- With fastupdate (the default) new GIN entries wait in a pending list of up to 4 MB that every
-- full-text query reads through in full, whatever its words: 440 pages and 7 to 15 ms per
-- statement on the 100,000-product benchmark catalog, and a search may run several (decision 109).
-- Every product write adds to the list, a price change included (the row gets a new version).
-- Without it, writes put their entries in the index itself and reads only walk the index.
ALTER INDEX "SearchProduct_fts_idx" SET (fastupdate = off);

-- What is pending now goes into the index (otherwise only the next vacuum would move it).
SELECT gin_clean_pending_list('"SearchProduct_fts_idx"'::regclass);
