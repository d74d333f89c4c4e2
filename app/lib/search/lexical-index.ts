// Lexical (BM25-class) retrieval over a shop's indexed products with MiniSearch: titles, brands,
// types, tags, options and SKUs/barcodes/handles weigh more than body text, so exact words,
// model numbers and rare terms match even when embeddings miss them. Built in memory from the
// documents Chroma holds (see product-search.server.ts for when it is rebuilt).
import MiniSearch, { type SearchResult } from "minisearch";
import type { IndexedProduct } from "./chroma-product-index.server";
import { singular } from "./query-parser";
import { foldTerm, STOP_WORDS } from "./search-terms";

interface LexicalDocument {
  id: string;
  title: string;
  vendor: string;
  productType: string;
  tags: string;
  options: string;
  codes: string;
  text: string;
}

export interface LexicalHit {
  id: string;
  score: number;
}

const FIELDS = ["title", "vendor", "productType", "tags", "options", "codes", "text"] as const;
const BOOST = { title: 3, vendor: 2, productType: 2, tags: 1.5, options: 1.2, codes: 3, text: 1 };

function processTerm(term: string): string | null {
  const lower = foldTerm(term);
  if (!lower || STOP_WORDS.has(lower)) return null;
  return singular(lower);
}

/** Splits on whitespace and punctuation, so "NP-STORM-M" also matches "storm". */
const tokenize = (text: string) => text.split(/[\s\-_/.,;:!?()[\]{}"'|+&*#]+/u).filter(Boolean);

/** Ranked hits of one query text under a filter (see `LexicalIndex.prepare`). */
export type LexicalQuery = (limit: number, accept?: (id: string) => boolean) => LexicalHit[];

export class LexicalIndex {
  private readonly search: MiniSearch<LexicalDocument>;

  constructor(products: Iterable<IndexedProduct>) {
    this.search = new MiniSearch<LexicalDocument>({
      fields: [...FIELDS],
      storeFields: [],
      tokenize,
      processTerm,
    });
    this.search.addAll(
      [...products].map((product) => ({
        id: product.id,
        title: product.metadata.title,
        vendor: product.metadata.vendor,
        productType: product.metadata.productType,
        tags: product.metadata.tags.replaceAll("|", " "),
        options: product.metadata.optionValues.replace(/\|[^|:]*:/g, " "),
        codes: [...product.keywords, product.metadata.skus, product.metadata.barcodes].join(" ").replaceAll("|", " "),
        text: product.text,
      })),
    );
  }

  get size(): number {
    return this.search.documentCount;
  }

  /**
   * BM25 ranking; prefix matching for longer terms and light fuzziness for long words.
   * One query text is ranked once, for several filter sets (strict, relaxed, backfill): a filter only
   * removes results, it does not change their BM25 scores, so filtering the ranked list afterwards
   * gives what a filtered search would.
   */
  prepare(text: string): LexicalQuery {
    if (!text.trim()) return () => [];
    const ranked = new Map<boolean, SearchResult[]>();
    const search = (fuzzy: boolean) => {
      let results = ranked.get(fuzzy);
      if (!results) {
        results = this.search.search(text, {
          boost: BOOST,
          combineWith: "OR",
          prefix: (term) => term.length >= 4,
          fuzzy: fuzzy ? (term) => (term.length >= 6 && !/\d/.test(term) ? 0.15 : false) : false,
        });
        ranked.set(fuzzy, results);
      }
      return results;
    };
    // The best `limit` accepted results: the ranked list is walked only until they are found.
    const take = (results: SearchResult[], limit: number, accept?: (id: string) => boolean) => {
      const hits: LexicalHit[] = [];
      for (const result of results) {
        if (hits.length >= limit) break;
        const id = String(result.id);
        if (!accept || accept(id)) hits.push({ id, score: result.score });
      }
      return hits;
    };
    return (limit, accept) => {
      const hits = take(search(false), limit, accept);
      // Fuzzy matching (typos) is costly on large catalogs: only when exact and prefix terms find little.
      return hits.length < Math.min(limit, 5) ? take(search(true), limit, accept) : hits;
    };
  }
}
