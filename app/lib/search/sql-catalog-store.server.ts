// CatalogStore on the app database (docs/decisions/096). Rows, codes and filters go through the
// Prisma models and portable SQL; only lexical ranking differs by database: an FTS5 table keyed by
// SearchProduct's rowid with bm25() on SQLite, the generated weighted tsvector column with ts_rank()
// on Postgres (both created by the search_catalog migrations). Every query is parameterised: the
// FTS5 / tsquery expression is built from search-terms.ts terms (letters and digits only) and
// passed as a parameter. Queries are built with Prisma.sql and handed to $queryRaw(sql) whole: the
// Postgres client bundles its own runtime, whose tagged template would not recognise fragments made
// by @prisma/client's Prisma.sql and would bind them as values. The ranking statement may go to a
// `SqlReader` instead (SQLite: a read-only connection in its own thread, decision 143).
import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import type { ProductDocument, ProductMetadata } from "../catalog/product-document";
import type { SqlReader } from "../db/sqlite-read-thread.server";
import { BACKGROUND_TRANSACTION } from "../db/transaction-options";
import type { CatalogStore, CodeMatch, IndexedProduct, LexicalHit, VocabularySource } from "./catalog-store";
import type { KindSourceRow } from "./product-kind";
import { optionGroups, optionPairs, type SearchFilters } from "./query-parser";
import { combinationCount, searchTerms, termGroups, type SearchTerm } from "./search-terms";

export type CatalogDialect = "sqlite" | "postgresql";

type Transaction = Prisma.TransactionClient;

/** Ids per statement: far below SQLite's 32,766 and Postgres' 65,535 bound values even at 19 per row. */
const CHUNK = 500;
/** A write of thousands of products is one transaction; give it time (the default is 5 s). */
const TRANSACTION_OPTIONS = { ...BACKGROUND_TRANSACTION, timeout: 120_000 };

/** Field weights, the former in-memory boosts, in FTS5 column order: title, brand, tags, options, codes, body. */
const FTS5_COLUMN_WEIGHTS = [3.0, 2.0, 1.5, 1.2, 3.0, 1.0];
/**
 * The sum over fields of weight × that field's BM25, as the former index scored (BM25 per field,
 * then boosts). One bm25() with column weights multiplies term counts before BM25 saturates them,
 * so a word in the title, the type and the text scored barely above a word in the title alone, and
 * a rare modifier ("grey") outranked the product kind ("wardrobe") the query names everywhere.
 */
const fts5Score = (table: string) =>
  Prisma.raw(
    FTS5_COLUMN_WEIGHTS.map(
      (weight, column) =>
        `${weight} * bm25(${table}, ${FTS5_COLUMN_WEIGHTS.map((_, c) => (c === column ? 1 : 0)).join(", ")})`,
    ).join(" + "),
  );
/**
 * SQLite term dependence (decision 144, Metzler and Croft's sequential dependence model): tokens
 * allowed between two query words for a product to score them as standing together (FTS5 NEAR).
 */
const DEPENDENCE_WINDOW = 8;
/**
 * SQLite: the best this many × the results wanted get their term dependence scored. Scoring it on
 * every product where two of the words stand together cost up to 100 ms at 100,000 products.
 */
const DEPENDENCE_DEPTH = 4;
/**
 * SQLite: shops with more products keep the ranking without term dependence. Finding the pairs
 * reads the positions of both words in every product holding them, whatever the rows rescored:
 * +1–2 ms hybrid p95 at 10,000 products, +30–45 ms at 100,000 (decision 144).
 */
const DEPENDENCE_MAX_PRODUCTS = 20_000;
/** An FTS5 expression that matches nothing without reading the index: the empty phrase. */
const MATCHES_NOTHING = '""';
/**
 * SQLite, with filters: how many of the best matches per result wanted are joined with their rows
 * first. The filters a query's own words imply (its kind, brand) pass most of its best matches.
 */
const FILTERED_RANKING_DEPTH = 8;
/** Groups in one "k of n terms" tsquery at most (5 terms, 3 of them: 10 groups). */
const MAX_TERM_GROUPS = 20;
/** ts_rank weights {D, C, B, A}: the same ratios (1 : 1.35 : 2 : 3) scaled to A = 1. */
const TS_RANK_WEIGHTS = Prisma.raw(`'{0.33, 0.45, 0.67, 1.0}'::real[]`);

function chunks<T>(values: readonly T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}

/**
 * SQLite: what the full-text entries are made of (`lexicalFields`, the table's columns and tokenizer).
 * An entry is deleted with the values it was made of, so a change to any of those must bump this: the
 * shops' tables are then built again from their rows (`ready()`, or the shop's next write).
 */
const LEXICAL_VERSION = 1;
const FTS_TABLE_PREFIX = `SearchProductFts_v${LEXICAL_VERSION}_`;

/**
 * SQLite: the shop's own FTS5 table (decision 145), so that bm25()'s statistics (how many products,
 * how many hold a word, their mean length) are the shop's, not those of every shop in the database.
 * Named by a digest (hex only: safe as a quoted identifier); created with the shop's first write.
 */
const ftsTable = (shop: string) =>
  `"${FTS_TABLE_PREFIX}${createHash("sha256").update(shop).digest("hex").slice(0, 24)}"`;

/** A statement naming the shop's FTS5 table failed because the shop has none (nothing indexed yet). */
const isMissingTable = (error: unknown) =>
  error instanceof Error && new RegExp(`no such table: (main\\.)?${FTS_TABLE_PREFIX}`, "i").test(error.message);

const delimitedValues = (value: string) => value.split("|").filter(Boolean);

/** What a full-text entry is built from: a document, or a row read back. */
type LexicalSource = Pick<ProductDocument, "metadata" | "keywords" | "text">;

/** The lexical columns of a product as the former in-memory index saw them. */
function lexicalFields(document: LexicalSource) {
  const m = document.metadata;
  return {
    title: m.title,
    brand: `${m.vendor} ${m.productType}`,
    tags: delimitedValues(m.tags).join(" "),
    options: delimitedValues(m.optionValues)
      .map((pair) => pair.slice(pair.indexOf(":") + 1))
      .join(" "),
    codes: [...document.keywords, ...delimitedValues(m.skus), ...delimitedValues(m.barcodes)].join(" "),
    body: document.text,
  };
}

/** Handle, barcodes and SKUs lower-cased, one entry per code; a SKU wins over an equal handle or barcode. */
function productCodes(metadata: ProductMetadata): Map<string, string | null> {
  const codes = new Map<string, string | null>();
  const add = (value: string, sku: string | null) => {
    const code = value.trim().toLowerCase();
    if (code && (!codes.has(code) || (sku !== null && codes.get(code) === null))) codes.set(code, sku);
  };
  add(metadata.handle, null);
  for (const barcode of delimitedValues(metadata.barcodes)) add(barcode, null);
  for (const sku of delimitedValues(metadata.skus)) add(sku, sku.trim());
  return codes;
}

function productRow(shop: string, document: ProductDocument) {
  const m = document.metadata;
  return {
    shop,
    productId: document.id,
    handle: m.handle,
    title: m.title,
    vendor: m.vendor,
    productType: m.productType,
    tags: m.tags,
    optionValues: m.optionValues,
    skus: m.skus,
    barcodes: m.barcodes,
    keywords: JSON.stringify(document.keywords),
    text: document.text,
    minPrice: m.minPrice,
    maxPrice: m.maxPrice,
    available: m.available,
    metadata: JSON.stringify(m),
    contentHash: document.contentHash,
    metadataHash: document.metadataHash,
  };
}

/** The columns codes, option rows and full-text entries are built from (contentHash stands for the text). */
const SEARCHABLE_COLUMNS = [
  "handle",
  "title",
  "vendor",
  "productType",
  "tags",
  "optionValues",
  "skus",
  "barcodes",
  "keywords",
  "contentHash",
] as const;

const UPSERT_SET = Prisma.raw(
  [...SEARCHABLE_COLUMNS, "text", "minPrice", "maxPrice", "available", "metadata", "metadataHash", "updatedAt"]
    .map((column) => `"${column}" = excluded."${column}"`)
    .join(", "),
);

type SearchableColumns = { productId: string } & Record<(typeof SEARCHABLE_COLUMNS)[number], string>;
const SEARCHABLE_SELECT = Prisma.raw(["productId", ...SEARCHABLE_COLUMNS].map((column) => `"${column}"`).join(", "));

const INDEXED_SELECT = { productId: true, text: true, keywords: true, metadata: true } as const;

function indexedProduct(row: { productId: string; text: string; keywords: string; metadata: string }): IndexedProduct {
  return {
    id: row.productId,
    text: row.text,
    keywords: JSON.parse(row.keywords) as string[],
    metadata: JSON.parse(row.metadata) as ProductMetadata,
  };
}

/** Runs one read query (the full-text ranking: on SQLite, in a thread of its own). */
type ReadQuery = <T>(sql: Prisma.Sql) => Promise<T[]>;

/** What differs between the databases: the lexical index and a few SQL forms. */
interface Dialect {
  /** Row locks for a read-then-write (SQLite serialises write transactions anyway). */
  forUpdate: Prisma.Sql;
  /**
   * `column IN (values)` with the values as ONE JSON parameter: a search checks hundreds of vector
   * candidates at once, and a thousand bound parameters cost more than the query itself.
   */
  inList(column: Prisma.Sql, values: string[]): Prisma.Sql;
  /**
   * Makes the shop's lexical index hold every row of the shop (SQLite: creates the shop's table and
   * fills it from the rows when it has none). Runs in each transaction that writes entries, before
   * it changes any row.
   */
  ensureLexical(tx: Transaction, shop: string): Promise<void>;
  /**
   * Shops with rows but no lexical index (SQLite: a database from before decision 145, or of an
   * earlier LEXICAL_VERSION, whose tables this drops).
   */
  unindexedShops(db: PrismaClient): Promise<string[]>;
  /**
   * Removes the lexical entries of these products, before their rows change or go; null: the whole
   * shop's.
   */
  deleteLexical(tx: Transaction, shop: string, productIds: string[] | null): Promise<void>;
  /** Adds the lexical entries of freshly inserted rows. */
  insertLexical(tx: Transaction, shop: string, documents: ProductDocument[]): Promise<void>;
  /**
   * How many of the terms a product must contain, tried in this order until one gives `limit`
   * products (the last is always 1: any term).
   */
  minimumMatches(termCount: number): number[];
  /**
   * The best `limit` products containing at least `minimumMatch` of the terms, ranked the same way
   * whatever the minimum: by the relevance of each term a product contains. It may return more
   * (SQLite: the best DEPENDENCE_DEPTH × `limit`) for `rescore` to reorder.
   */
  lexical(
    read: ReadQuery,
    shop: string,
    terms: SearchTerm[],
    minimumMatch: number,
    filters: Prisma.Sql,
    limit: number,
  ): Promise<LexicalRow[]>;
  /** The rows of the last `lexical` call, ranked again (best first) by what only a few rows can afford. */
  rescore(
    read: ReadQuery,
    shop: string,
    terms: SearchTerm[],
    minimumMatch: number,
    rows: LexicalRow[],
  ): Promise<LexicalRow[]>;
}

interface LexicalRow {
  id: string;
  score: number;
  named: boolean | number | bigint;
  /** SQLite: the row's rowid, the full-text entry's key. */
  rowid?: number | bigint;
}

const sqlite: Dialect = {
  forUpdate: Prisma.empty,
  inList: (column, values) => Prisma.sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,

  async ensureLexical(tx, shop) {
    const name = ftsTable(shop).slice(1, -1);
    const found = await tx.$queryRaw<unknown[]>(
      Prisma.sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${name}`,
    );
    if (found.length) return;
    // Contentless (the text lives in "SearchProduct"). Entries are deleted with FTS5's 'delete'
    // command and the values they were made of, not by rowid (contentless_delete): that keeps the
    // product count and mean length bm25() uses exact, where a rowid delete left them counting every
    // deleted entry. Columns in bm25() weight order (FTS5_COLUMN_WEIGHTS).
    await tx.$executeRaw(Prisma.sql`
      CREATE VIRTUAL TABLE ${Prisma.raw(ftsTable(shop))} USING fts5(
        title, brand, tags, options, codes, body,
        content='', tokenize='porter unicode61 remove_diacritics 2')`);
    // The shop's rows so far (a database from before decision 145, or a shop whose table was lost).
    for (let after = 0; ;) {
      const rows = await tx.$queryRaw<StoredEntry[]>(Prisma.sql`
        SELECT rowid, "text", "keywords", "metadata" FROM "SearchProduct"
        WHERE "shop" = ${shop} AND rowid > ${after} ORDER BY rowid LIMIT ${CHUNK}`);
      if (!rows.length) return;
      await writeFtsEntries(tx, shop, rows.map(storedEntry));
      after = Number(rows[rows.length - 1].rowid);
    }
  },

  async unindexedShops(db) {
    const [shops, tables] = await Promise.all([
      db.$queryRaw<{ shop: string }[]>(Prisma.sql`SELECT DISTINCT "shop" FROM "SearchProduct"`),
      db.$queryRaw<{ name: string }[]>(
        Prisma.sql`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`,
      ),
    ]);
    for (const { name } of tables) {
      if (name.startsWith("SearchProductFts_") && !name.startsWith(FTS_TABLE_PREFIX)) {
        await db.$executeRaw(Prisma.sql`DROP TABLE IF EXISTS ${Prisma.raw(`"${name.replace(/"/g, '""')}"`)}`);
      }
    }
    const existing = new Set(tables.map((table) => `"${table.name}"`));
    return shops.map((row) => row.shop).filter((shop) => !existing.has(ftsTable(shop)));
  },

  async deleteLexical(tx, shop, productIds) {
    if (!productIds) {
      await tx.$executeRaw(Prisma.sql`DROP TABLE IF EXISTS ${Prisma.raw(ftsTable(shop))}`);
      return;
    }
    // The entries' values are those of the rows as they still are (before their rewrite or removal).
    for (const ids of chunks(productIds)) {
      const rows = await tx.$queryRaw<StoredEntry[]>(Prisma.sql`
        SELECT rowid, "text", "keywords", "metadata" FROM "SearchProduct"
        WHERE "shop" = ${shop} AND "productId" IN (${Prisma.join(ids)})`);
      await writeFtsEntries(tx, shop, rows.map(storedEntry), "delete");
    }
  },

  async insertLexical(tx, shop, documents) {
    for (const batch of chunks(documents)) {
      const rowids = await tx.$queryRaw<{ rowid: number | bigint; productId: string }[]>(Prisma.sql`
        SELECT rowid, "productId" FROM "SearchProduct"
        WHERE "shop" = ${shop} AND "productId" IN (${Prisma.join(batch.map((d) => d.id))})`);
      const rowidOf = new Map(rowids.map((r) => [r.productId, BigInt(r.rowid)]));
      await writeFtsEntries(
        tx,
        shop,
        batch.map((document) => ({ rowid: rowidOf.get(document.id)!, document })),
      );
    }
  },

  // Every term, then any: bm25() counts each appearance of a phrase in the expression, so "k of n"
  // written as an OR of AND-ed groups would weigh a product by how many groups it satisfies.
  minimumMatches: (termCount) => (termCount > 1 ? [termCount, 1] : [1]),

  async lexical(read, shop, terms, minimumMatch, filters, limit) {
    // MATERIALIZED: the full-text match runs first; otherwise a selective filter index (price) can
    // lead the plan and run the match once per row (60x slower at 10,000 products). bm25() sums
    // over the phrases a row contains, so a row with every term scores the same under AND as under OR.
    const match = fts5Match(terms, minimumMatch);
    const quoted = terms.map(fts5Quote);
    // The name columns (Postgres' weights A and B) holding every term.
    const named = `{title brand codes} : (${quoted.join(" AND ")})`;
    const name = ftsTable(shop);
    const table = Prisma.raw(name);
    // Only the best matches need their (large) rows: a common word matches most of a big catalog, and
    // joining every match cost 50 ms at 100,000 products. Without filters, the best `kept`; with
    // filters, the best FILTERED_RANKING_DEPTH × `limit`, and every match only when fewer pass.
    // `kept` rows come back for `rescore`.
    const kept = limit * DEPENDENCE_DEPTH;
    const ranking = (depth: number | null) =>
      readShop<LexicalRow>(
        read,
        Prisma.sql`
      WITH ranked AS MATERIALIZED (
        SELECT rowid, -(${fts5Score(name)}) AS score FROM ${table} WHERE ${table} MATCH ${match}${
          depth === null ? Prisma.empty : Prisma.sql` ORDER BY score DESC, rowid LIMIT ${depth}`
        }
      ), named AS MATERIALIZED (
        SELECT rowid FROM ${table} WHERE ${table} MATCH ${named}
      )
      SELECT p."productId" AS id, ranked.score AS score, ranked.rowid IN (SELECT rowid FROM named) AS named,
        ranked.rowid AS rowid
      FROM ranked JOIN "SearchProduct" p ON p.rowid = ranked.rowid
      WHERE p."shop" = ${shop}${filters}
      ORDER BY ranked.score DESC, p."productId"
      LIMIT ${kept}`,
      );
    if (filters === Prisma.empty) return ranking(kept);
    const best = await ranking(Math.max(kept, limit * FILTERED_RANKING_DEPTH));
    return best.length >= limit ? best : ranking(null);
  },

  // Once per search, on the rows the ranking kept: bm25() then covers the words and, again, each pair
  // of them found together. `+rowid` makes FTS5 read the match once; looking each row up instead
  // recomputes every phrase's IDF, ~12 ms a row. A shop past DEPENDENCE_MAX_PRODUCTS (counted no
  // further than that) matches nothing here and keeps its order.
  async rescore(read, shop, terms, minimumMatch, rows) {
    const dependence = termDependence(terms);
    if (!dependence.length || rows.length < 2) return rows;
    const together = `${fts5Match(terms, minimumMatch)} AND (${dependence.join(" OR ")})`;
    const rowids = JSON.stringify(rows.map((row) => Number(row.rowid)));
    const name = ftsTable(shop);
    const table = Prisma.raw(name);
    const scored = await readShop<{ rowid: number | bigint; score: number }>(
      read,
      Prisma.sql`
      SELECT rowid, -(${fts5Score(name)}) AS score FROM ${table}
      WHERE ${table} MATCH (
          CASE WHEN (SELECT count(*) FROM (
            SELECT 1 FROM "SearchProduct" WHERE "shop" = ${shop} LIMIT ${DEPENDENCE_MAX_PRODUCTS + 1}
          )) <= ${DEPENDENCE_MAX_PRODUCTS} THEN ${together} ELSE ${MATCHES_NOTHING} END)
        AND +rowid IN (SELECT value FROM json_each(${rowids}))`,
    );
    const scoreOf = new Map(scored.map((row) => [Number(row.rowid), Number(row.score)]));
    return rows
      .map((row) => ({ ...row, score: scoreOf.get(Number(row.rowid)) ?? Number(row.score) }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};

/** A term as an FTS5 string: FTS5 reads OR, NEAR, column names and * inside quotes as plain words. */
const fts5Quote = (term: SearchTerm) => `"${term.term}"${term.prefix ? "*" : ""}`;

/** The entries holding every term (or any, below every); parenthesised, as FTS5's AND binds before OR. */
function fts5Match(terms: SearchTerm[], minimumMatch: number): string {
  return `(${terms.map(fts5Quote).join(minimumMatch >= terms.length ? " AND " : " OR ")})`;
}

/** A "SearchProduct" row's rowid and the columns its full-text entry is made of. */
interface StoredEntry {
  rowid: number | bigint;
  text: string;
  keywords: string;
  metadata: string;
}

const storedEntry = (row: StoredEntry) => ({
  rowid: BigInt(row.rowid),
  document: indexedProduct({ productId: "", ...row }),
});

/**
 * Adds FTS5 entries to the shop's table, each under its "SearchProduct" row's rowid; "delete":
 * removes them, given the same values they were added with.
 */
async function writeFtsEntries(
  tx: Transaction,
  shop: string,
  entries: { rowid: bigint; document: LexicalSource }[],
  command?: "delete",
): Promise<void> {
  if (!entries.length) return;
  const table = ftsTable(shop);
  const values = entries.map(({ rowid, document }) => {
    const f = lexicalFields(document);
    const fields = Prisma.sql`${rowid}, ${f.title}, ${f.brand}, ${f.tags}, ${f.options}, ${f.codes}, ${f.body}`;
    return command ? Prisma.sql`(${command}, ${fields})` : Prisma.sql`(${fields})`;
  });
  const columns = `${command ? `${table}, ` : ""}rowid, title, brand, tags, options, codes, body`;
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO ${Prisma.raw(table)} (${Prisma.raw(columns)}) VALUES ${Prisma.join(values)}`);
}

/** A ranking statement on the shop's FTS5 table: none yet means nothing is indexed, so no rows. */
async function readShop<T>(read: ReadQuery, sql: Prisma.Sql): Promise<T[]> {
  try {
    return await read<T>(sql);
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/**
 * FTS5 groups for the query's words standing together: each adjacent pair as a phrase, in the
 * query's order, and every pair within DEPENDENCE_WINDOW tokens in any order (adjacent pairs only
 * when every pair would make more than MAX_TERM_GROUPS groups).
 */
function termDependence(terms: SearchTerm[]): string[] {
  const adjacent = terms.slice(1).map((term, i) => [terms[i], term]);
  const phrases = adjacent.map(([a, b]) => `"${a.term} ${b.term}"${b.prefix ? "*" : ""}`);
  const pairs = combinationCount(terms.length, 2) <= MAX_TERM_GROUPS ? termGroups(terms, 2) : adjacent;
  return [...phrases, ...pairs.map(([a, b]) => `NEAR(${fts5Quote(a)} ${fts5Quote(b)}, ${DEPENDENCE_WINDOW})`)];
}

const postgresql: Dialect = {
  forUpdate: Prisma.sql` FOR UPDATE`,
  inList: (column, values) =>
    Prisma.sql`${column} IN (SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`,
  // The tsvector is a generated column of the row itself.
  ensureLexical: async () => {},
  unindexedShops: async () => [],
  deleteLexical: async () => {},
  insertLexical: async () => {},
  // ts_rank's ranking stands as it is (WANDS 0.781 hybrid without term dependence, decision 144).
  rescore: async (_read, _shop, _terms, _minimumMatch, rows) => rows,

  // Every term, then all but one, … then any: the rows are chosen by one tsquery and ranked by
  // another, so a level's groups do not change the ranking. Levels of more than MAX_TERM_GROUPS
  // groups are skipped (the expression would cost more than it saves).
  minimumMatches(termCount) {
    const levels: number[] = [];
    for (let k = termCount; k > 1; k--) if (combinationCount(termCount, k) <= MAX_TERM_GROUPS) levels.push(k);
    return [...levels, 1];
  },

  async lexical(read, shop, terms, minimumMatch, filters, limit) {
    // to_tsquery stems each quoted term with the same 'english' config the column was built with.
    // Ranked by the any-term query at every level: ts_rank of an all-terms query would weigh how
    // close the terms stand instead.
    const term = (t: SearchTerm) => `'${t.term}'${t.prefix ? ":*" : ""}`;
    const any = terms.map(term).join(" | ");
    // Weights A and B: title, codes, brand and type (SQLite's name columns).
    const named = terms.map((t) => `'${t.term}':${t.prefix ? "*" : ""}AB`).join(" & ");
    const match = termGroups(terms, Math.min(minimumMatch, terms.length))
      .map((group) => `(${group.map(term).join(" & ")})`)
      .join(" | ");
    return read<{ id: string; score: number; named: boolean }>(Prisma.sql`
      SELECT p."productId" AS id, ts_rank(${TS_RANK_WEIGHTS}, p."fts", q, 1)::float8 AS score, p."fts" @@ n AS named
      FROM "SearchProduct" p, to_tsquery('english', ${any}) q, to_tsquery('english', ${match}) m,
        to_tsquery('english', ${named}) n
      WHERE p."shop" = ${shop} AND p."fts" @@ m${filters}
      ORDER BY score DESC, p."productId"
      LIMIT ${limit}`);
  },
};

class SqlCatalogStore implements CatalogStore {
  private readonly rank: ReadQuery;

  constructor(
    private readonly db: PrismaClient,
    private readonly dialect: Dialect,
    private readonly ranker: SqlReader | undefined,
  ) {
    this.rank = ranker ? (sql) => ranker.query(sql) : (sql) => db.$queryRaw(sql);
  }

  async ready(): Promise<void> {
    await this.ranker?.query(Prisma.sql`SELECT 1`);
    // Shops whose full-text entries are missing (written before decision 145) get them back from
    // their rows; until then their searches rank by vectors only.
    for (const shop of await this.dialect.unindexedShops(this.db)) {
      await this.db.$transaction((tx) => this.dialect.ensureLexical(tx, shop), TRANSACTION_OPTIONS);
    }
  }

  async close(): Promise<void> {
    await this.ranker?.close();
  }

  async write(shop: string, documents: ProductDocument[]): Promise<void> {
    // The last document of an id wins, as sequential writes would.
    const byId = new Map(documents.map((document) => [document.id, document]));
    const unique = [...byId.values()];
    if (!unique.length) return;
    await this.db.$transaction(async (tx) => {
      let vocabularyChanged = false;
      const existing: string[] = [];
      // New products and those whose searchable columns differ get their codes and full-text entries
      // rewritten; a price or stock change only updates the row (no full-text churn on every sale).
      const searchableChanged = new Set(byId.keys());
      // Option rows likewise: new products and changed option sets only.
      const optionsChanged = new Set(byId.keys());
      for (const ids of chunks([...byId.keys()])) {
        // Locked on Postgres: a concurrent write of the same products waits, then sees this one's result.
        const rows = await tx.$queryRaw<SearchableColumns[]>(
          Prisma.sql`SELECT ${SEARCHABLE_SELECT} FROM "SearchProduct"
            WHERE "shop" = ${shop} AND "productId" IN (${Prisma.join(ids)})${this.dialect.forUpdate}`,
        );
        for (const row of rows) {
          existing.push(row.productId);
          const next = productRow(shop, byId.get(row.productId)!);
          if (SEARCHABLE_COLUMNS.every((column) => row[column] === next[column])) {
            searchableChanged.delete(row.productId);
          }
          if (row.optionValues === next.optionValues) optionsChanged.delete(row.productId);
          if (
            row.productType !== next.productType ||
            row.title !== next.title ||
            row.vendor !== next.vendor ||
            row.optionValues !== next.optionValues
          ) {
            vocabularyChanged = true;
          }
        }
      }
      if (existing.length < unique.length) vocabularyChanged = true;
      const rewritten = unique.filter((document) => searchableChanged.has(document.id));
      const rewrittenExisting = existing.filter((id) => searchableChanged.has(id));
      // Before the rows change: a missing table is built from the rows as they are, and an entry is
      // removed with the values it was made of. A price or stock change touches no entry.
      if (rewritten.length) await this.dialect.ensureLexical(tx, shop);
      await this.dialect.deleteLexical(tx, shop, rewrittenExisting);

      // Multi-row upserts (the rowid, which keys the FTS5 entry, is kept): about twice as fast as
      // createMany, which builds each row through the query compiler.
      const now = new Date();
      for (const chunk of chunks(unique, 100)) {
        const values = chunk.map((document) => {
          const r = productRow(shop, document);
          return Prisma.sql`(${r.shop}, ${r.productId}, ${r.handle}, ${r.title}, ${r.vendor}, ${r.productType}, ${r.tags},
            ${r.optionValues}, ${r.skus}, ${r.barcodes}, ${r.keywords}, ${r.text}, ${r.minPrice}, ${r.maxPrice},
            ${r.available}, ${r.metadata}, ${r.contentHash}, ${r.metadataHash}, ${now})`;
        });
        await tx.$executeRaw(Prisma.sql`
          INSERT INTO "SearchProduct" ("shop", "productId", "handle", "title", "vendor", "productType", "tags",
            "optionValues", "skus", "barcodes", "keywords", "text", "minPrice", "maxPrice",
            "available", "metadata", "contentHash", "metadataHash", "updatedAt")
          VALUES ${Prisma.join(values)}
          ON CONFLICT ("shop", "productId") DO UPDATE SET ${UPSERT_SET}`);
      }
      for (const chunk of chunks(rewrittenExisting)) {
        await tx.searchProductCode.deleteMany({ where: { shop, productId: { in: chunk } } });
      }
      const codes = rewritten.flatMap((document) =>
        [...productCodes(document.metadata)].map(
          ([code, sku]) => Prisma.sql`(${shop}, ${code}, ${document.id}, ${sku})`,
        ),
      );
      for (const chunk of chunks(codes)) {
        await tx.$executeRaw(
          Prisma.sql`INSERT INTO "SearchProductCode" ("shop", "code", "productId", "sku") VALUES ${Prisma.join(chunk)}
            ON CONFLICT ("shop", "code", "productId") DO UPDATE SET "sku" = excluded."sku"`,
        );
      }
      await this.writeOptions(
        tx,
        shop,
        [...optionsChanged].map((id) => byId.get(id)!),
      );
      await this.dialect.insertLexical(tx, shop, rewritten);
      await this.bumpVersion(tx, shop, vocabularyChanged);
    }, TRANSACTION_OPTIONS);
  }

  async remove(shop: string, productIds: string[]): Promise<void> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return;
    await this.db.$transaction(async (tx) => {
      await this.dialect.ensureLexical(tx, shop);
      await this.dialect.deleteLexical(tx, shop, ids);
      let removed = 0;
      for (const chunk of chunks(ids)) {
        await tx.searchProductCode.deleteMany({ where: { shop, productId: { in: chunk } } });
        await tx.searchProductOption.deleteMany({ where: { shop, productId: { in: chunk } } });
        removed += (await tx.searchProduct.deleteMany({ where: { shop, productId: { in: chunk } } })).count;
      }
      if (removed) await this.bumpVersion(tx, shop, true);
    }, TRANSACTION_OPTIONS);
  }

  async dropShop(shop: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await this.dialect.deleteLexical(tx, shop, null);
      await tx.searchProductCode.deleteMany({ where: { shop } });
      await tx.searchProductOption.deleteMany({ where: { shop } });
      const { count } = await tx.searchProduct.deleteMany({ where: { shop } });
      // A registry row that outlives the catalog must not let instances serve cached results.
      if (count) await this.bumpVersion(tx, shop, true);
    }, TRANSACTION_OPTIONS);
  }

  /** Replaces the option rows of these products (new products have none yet). */
  private async writeOptions(tx: Transaction, shop: string, documents: ProductDocument[]): Promise<void> {
    for (const chunk of chunks(documents.map((document) => document.id))) {
      await tx.searchProductOption.deleteMany({ where: { shop, productId: { in: chunk } } });
    }
    const rows = documents.flatMap((document) =>
      optionPairs(document.metadata.optionValues).map(
        ({ name, value }) => Prisma.sql`(${shop}, ${name}, ${value}, ${document.id})`,
      ),
    );
    for (const chunk of chunks(rows)) {
      await tx.$executeRaw(
        Prisma.sql`INSERT INTO "SearchProductOption" ("shop", "name", "value", "productId") VALUES ${Prisma.join(chunk)}`,
      );
    }
  }

  private async bumpVersion(tx: Transaction, shop: string, vocabularyChanged: boolean): Promise<void> {
    await tx.searchIndex.updateMany({
      where: { shop },
      data: { version: { increment: 1 }, ...(vocabularyChanged ? { vocabularyVersion: { increment: 1 } } : {}) },
    });
  }

  async existingIds(shop: string, productIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks([...new Set(productIds)])) {
      const rows = await this.db.searchProduct.findMany({
        where: { shop, productId: { in: chunk } },
        select: { productId: true },
      });
      for (const row of rows) found.add(row.productId);
    }
    return found;
  }

  async listProductIds(shop: string): Promise<string[]> {
    const rows = await this.db.searchProduct.findMany({
      where: { shop },
      select: { productId: true },
      orderBy: { productId: "asc" },
    });
    return rows.map((row) => row.productId);
  }

  count(shop: string): Promise<number> {
    return this.db.searchProduct.count({ where: { shop } });
  }

  async read(shop: string, productIds: string[]): Promise<IndexedProduct[]> {
    const products: IndexedProduct[] = [];
    for (const chunk of chunks([...new Set(productIds)])) {
      const rows = await this.db.searchProduct.findMany({
        where: { shop, productId: { in: chunk } },
        select: INDEXED_SELECT,
      });
      products.push(...rows.map(indexedProduct));
    }
    return products;
  }

  async page(shop: string, afterId: string | null, limit: number): Promise<IndexedProduct[]> {
    const rows = await this.db.searchProduct.findMany({
      where: { shop, ...(afterId === null ? {} : { productId: { gt: afterId } }) },
      select: INDEXED_SELECT,
      orderBy: { productId: "asc" },
      take: Math.max(0, Math.floor(limit)),
    });
    return rows.map(indexedProduct);
  }

  async lexical(shop: string, text: string, filters: SearchFilters, limit: number): Promise<LexicalHit[]> {
    const terms = searchTerms(text);
    const take = Math.floor(limit);
    if (!terms.length || !(take > 0)) return [];
    const filterSql = this.filterSql(shop, filters);
    // Products with every word first (decision 109): when at least `limit` have them all, the best
    // of those are the answer, and ranking skips the tens of thousands of products of a large
    // catalog that share only one common word ("camp" in "camp stove").
    let rows: LexicalRow[] = [];
    let level = terms.length;
    for (const minimumMatch of this.dialect.minimumMatches(terms.length)) {
      level = minimumMatch;
      rows = await this.dialect.lexical(this.rank, shop, terms, minimumMatch, filterSql, take);
      if (rows.length >= take) break;
    }
    rows = (await this.dialect.rescore(this.rank, shop, terms, level, rows)).slice(0, take);
    return rows.map((row) => ({ id: row.id, score: Number(row.score), named: Boolean(Number(row.named)) }));
  }

  filtered(shop: string, filters: SearchFilters, limit: number, within?: string[]): Promise<string[]> {
    const order =
      filters.sort === "price_asc"
        ? Prisma.sql`p."minPrice" ASC, p."productId"`
        : filters.sort === "price_desc"
          ? Prisma.sql`p."minPrice" DESC, p."productId"`
          : Prisma.sql`p."productId"`;
    return this.idsPassing(shop, filters, limit, within, Prisma.sql` ORDER BY ${order}`);
  }

  passing(shop: string, filters: SearchFilters, limit: number, within?: string[]): Promise<string[]> {
    // No ORDER BY: ordering 10,000 passing ids to keep 3,001 took 9 of the statement's 10 ms at 100,000 products.
    return this.idsPassing(shop, filters, limit, within, Prisma.empty);
  }

  private async idsPassing(
    shop: string,
    filters: SearchFilters,
    limit: number,
    within: string[] | undefined,
    order: Prisma.Sql,
  ): Promise<string[]> {
    const take = Math.floor(limit);
    if (!(take > 0) || (within && !within.length)) return [];
    const among = within
      ? Prisma.sql` AND ${this.dialect.inList(Prisma.sql`p."productId"`, [...new Set(within)])}`
      : Prisma.empty;
    const rows = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT p."productId" AS id FROM "SearchProduct" p
      WHERE p."shop" = ${shop}${among}${this.filterSql(shop, filters, within !== undefined)}${order}
      LIMIT ${take}`);
    return rows.map((row) => row.id);
  }

  async exactCodes(shop: string, codes: string[]): Promise<CodeMatch[]> {
    const wanted = [...new Set(codes.map((code) => code.trim().toLowerCase()).filter(Boolean))];
    const matches: CodeMatch[] = [];
    for (const chunk of chunks(wanted)) {
      const rows = await this.db.searchProductCode.findMany({
        where: { shop, code: { in: chunk } },
        select: { code: true, productId: true, sku: true },
        orderBy: [{ code: "asc" }, { productId: "asc" }],
      });
      for (const row of rows) {
        matches.push(
          row.sku === null
            ? { code: row.code, id: row.productId }
            : { code: row.code, id: row.productId, sku: row.sku },
        );
      }
    }
    return matches;
  }

  async vocabularySource(shop: string): Promise<VocabularySource> {
    // SELECT DISTINCT in the database (Prisma's `distinct` may deduplicate in memory, after reading every row).
    const distinct = async (column: "productType" | "vendor" | "optionValues") => {
      const name = Prisma.raw(`"${column}"`);
      const rows = await this.db.$queryRaw<{ value: string }[]>(Prisma.sql`
        SELECT DISTINCT ${name} AS value FROM "SearchProduct" WHERE "shop" = ${shop} AND ${name} <> '' ORDER BY value`);
      return rows.map((row) => row.value);
    };
    const [productTypes, vendors, optionValues] = await Promise.all([
      distinct("productType"),
      distinct("vendor"),
      distinct("optionValues"),
    ]);
    return { productTypes, vendors, optionValues };
  }

  async kindSource(shop: string): Promise<KindSourceRow[]> {
    // Only the two short columns: the document text and card JSON (later in the row) are not read.
    return this.db.$queryRaw<KindSourceRow[]>(Prisma.sql`
      SELECT "productType", "title" FROM "SearchProduct" WHERE "shop" = ${shop} AND "productType" <> ''`);
  }

  /**
   * `matchesFilters` (query-parser.ts) as SQL over the row aliased `p`: "" or " AND …". `fewRows`:
   * the rows are already narrowed to a short list (vector candidates), so options are looked up per
   * row rather than listing every product with the option ("Size: M": 27,000 at 100,000 products).
   */
  private filterSql(shop: string, filters: SearchFilters, fewRows = false): Prisma.Sql {
    const conditions: Prisma.Sql[] = [];
    if (filters.maxPrice !== undefined) conditions.push(Prisma.sql`p."minPrice" <= ${filters.maxPrice}`);
    if (filters.minPrice !== undefined) conditions.push(Prisma.sql`p."maxPrice" >= ${filters.minPrice}`);
    if (filters.inStock) conditions.push(Prisma.sql`p."available" = ${true}`);
    if (filters.productTypes?.length) {
      conditions.push(Prisma.sql`p."productType" IN (${Prisma.join(filters.productTypes)})`);
    }
    if (filters.vendors?.length) conditions.push(Prisma.sql`p."vendor" IN (${Prisma.join(filters.vendors)})`);
    // Exact pairs from the option table: the delimited column is in the row's overflow pages on
    // SQLite, and testing it read every full-text match's whole row (100,000 products: 228 ms).
    // Listing them is right for a whole catalog: a rare value's short list drives the query, where a
    // per-row look-up would visit every row. Alternatives within a group, every group to hold.
    for (const group of optionGroups(filters.options ?? [])) {
      const byName = new Map<string, string[]>();
      for (const { name, value } of group) byName.set(name, [...(byName.get(name) ?? []), value]);
      const pairs = [...byName].map(
        ([name, values]) => Prisma.sql`(o."name" = ${name} AND o."value" IN (${Prisma.join(values)}))`,
      );
      const option = Prisma.sql`o."shop" = ${shop} AND (${Prisma.join(pairs, " OR ")})`;
      conditions.push(
        fewRows
          ? Prisma.sql`EXISTS (SELECT 1 FROM "SearchProductOption" o WHERE ${option} AND o."productId" = p."productId")`
          : Prisma.sql`p."productId" IN (SELECT o."productId" FROM "SearchProductOption" o WHERE ${option})`,
      );
    }
    return conditions.length ? Prisma.sql` AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  }
}

/**
 * The catalog store for a Prisma client of either database (the Postgres client has the same
 * models). `ranker`: where the full-text ranking runs, by default on the client; the store closes it.
 */
export function createCatalogStore(prisma: PrismaClient, dialect: CatalogDialect, ranker?: SqlReader): CatalogStore {
  return new SqlCatalogStore(prisma, dialect === "sqlite" ? sqlite : postgresql, ranker);
}
