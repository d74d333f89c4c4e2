// The searchable catalog in the app database (docs/decisions/096): one row per indexed product
// with its document text, card metadata and filter attributes. Lexical retrieval, filters and
// exact codes run in the database (SQLite FTS5 / Postgres full-text search), so no app process
// keeps a copy of any catalog. Implementations: sql-catalog-store.server.ts.
import type { ProductDocument, ProductMetadata } from "../catalog/product-document";
import type { KindSourceRow } from "./product-kind";
import type { SearchFilters } from "./query-parser";

/** What search reads back for a product: the embedded text, exact-match keywords and card metadata. */
export interface IndexedProduct {
  id: string;
  text: string;
  keywords: string[];
  metadata: ProductMetadata;
}

export interface LexicalHit {
  id: string;
  /** Higher is better (the engine's relevance, sign-normalised). */
  score: number;
  /** Every term is in the product's name: its title, brand, type or codes (not only tags or text). */
  named: boolean;
}

export interface CodeMatch {
  /** The code as stored, lower-cased (SKU, barcode or handle). */
  code: string;
  id: string;
  /** Set when the code is a variant's SKU (the card then shows that variant). */
  sku?: string;
}

/** What the catalog vocabulary (query understanding) is built from. */
export interface VocabularySource {
  productTypes: string[];
  vendors: string[];
  /** Distinct `ProductMetadata.optionValues` strings ("|Size:M|Color:Blue|"). */
  optionValues: string[];
}

export interface CatalogStore {
  /**
   * Inserts or replaces products, their codes and lexical entries, and bumps the shop's
   * `SearchIndex.version` in the same transaction (the registry row must exist). `vocabularyVersion`
   * is bumped too when a product type, vendor or option value set changed (or a product is new).
   */
  write(shop: string, documents: ProductDocument[]): Promise<void>;
  /** Removes products (unknown ids ignored); bumps version and vocabularyVersion when something went. */
  remove(shop: string, productIds: string[]): Promise<void>;
  /** Deletes every row of the shop. */
  dropShop(shop: string): Promise<void>;
  /** Which of these ids are in the shop's catalog. */
  existingIds(shop: string, productIds: string[]): Promise<Set<string>>;
  listProductIds(shop: string): Promise<string[]>;
  count(shop: string): Promise<number>;
  /** The products with these ids (missing ids left out), in no particular order. */
  read(shop: string, productIds: string[]): Promise<IndexedProduct[]>;
  /** Products ordered by id, after `afterId` (exclusive): pages for a rebuild. */
  page(shop: string, afterId: string | null, limit: number): Promise<IndexedProduct[]>;
  /**
   * Full-text ranking of `text` among the products passing `filters`, best first. Title, brand, type,
   * codes weigh more than tags and options, which weigh more than body text; words match by stem and
   * longer words by prefix.
   */
  lexical(shop: string, text: string, filters: SearchFilters, limit: number): Promise<LexicalHit[]>;
  /**
   * Ids of products passing `filters` (exact SQL; options exact), at most `limit`, in a stable order
   * (cheapest first when `filters.sort` asks for price order, else by id). `within`: only among these ids.
   */
  filtered(shop: string, filters: SearchFilters, limit: number, within?: string[]): Promise<string[]>;
  /**
   * Which products pass `filters` (its `sort` ignored): at most `limit` ids, in no particular order.
   * Cheaper than `filtered` when many pass: the database stops at the limit instead of ordering them.
   */
  passing(shop: string, filters: SearchFilters, limit: number, within?: string[]): Promise<string[]>;
  /** Products whose SKU, barcode or handle equals one of `codes` (compared lower-cased). */
  exactCodes(shop: string, codes: string[]): Promise<CodeMatch[]>;
  vocabularySource(shop: string): Promise<VocabularySource>;
  /** Each typed product's type and title: what the product-kind vocabulary (product-kind.ts) is built from. */
  kindSource(shop: string): Promise<KindSourceRow[]>;
  /**
   * Starts what the store runs beside the database client (the SQLite ranking thread and its
   * connection), so that a shopper's first search does not wait for it, and restores the
   * full-text index of shops that have rows without one (SQLite: each shop's table, decision 145).
   */
  ready(): Promise<void>;
  /** Stops what the store started (the SQLite ranking thread); the database client is the caller's. */
  close(): Promise<void>;
}
