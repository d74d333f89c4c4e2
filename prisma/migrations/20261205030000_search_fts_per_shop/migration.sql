-- Raw SQL, written by hand (docs/decisions/145): each shop's full-text entries move to an FTS5 table
-- of its own ("SearchProductFts_v1_<digest of the shop>"), created by app/lib/search/sql-catalog-store.server.ts
-- with the shop's first write, so that bm25() weighs words by the shop's own catalog. The shared
-- table goes; every entry is rebuilt from "SearchProduct" (which holds all it was made from) when
-- the app starts (the catalog store's ready()) or with the shop's next write.
DROP TABLE IF EXISTS "SearchProductFts";
