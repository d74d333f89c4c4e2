// Hybrid product search for one shop: exact SKU/barcode/handle hits first, then lexical (BM25)
// and vector (Chroma) candidates fused by weighted reciprocal rank fusion, one result per
// product with the matching variant chosen. Filters come from query understanding and are
// relaxed, least certain first, when they leave nothing.
//
// Consistency across app instances (docs/decisions/050): each process keeps a snapshot per shop
// (documents + metadata read from the shop's active Chroma collection, the lexical index and the
// catalog vocabulary built from them) tagged with the shop's index version from the database.
// Every search reads that version (one primary-key lookup); when another instance has written
// since, the snapshot is rebuilt from Chroma before answering, so all instances answer from the
// same data. Query results are cached per shop under the same version, so any write invalidates.
import type { Where } from "chromadb";
import type { Logger } from "../logger.server";
import type { ChromaProductIndex, IndexedProduct } from "./chroma-product-index.server";
import { productCard, reciprocalRankFusion, type ProductCard } from "./fusion";
import { LexicalIndex, type LexicalQuery } from "./lexical-index";
import {
  buildVocabulary,
  hasFilter,
  matchesFilters,
  parseQuery,
  RELAXATION_ORDER,
  withoutFilter,
  type CatalogVocabulary,
  type ParsedQuery,
  type RelaxableFilter,
  type SearchFilters,
} from "./query-parser";

export type RetrievalMode = "hybrid" | "lexical" | "vector";
export type MatchSource = "exact" | "lexical" | "vector";

export interface SearchRequest {
  shop: string;
  query: string;
  limit?: number;
  mode?: RetrievalMode;
  /** Filters decided by the caller (e.g. a follow-up "cheaper ones?"); merged over the parsed ones. */
  filters?: SearchFilters;
  /** false: search the text as given, without turning words into filters (evaluation baselines). */
  understandQuery?: boolean;
}

export interface SearchHit {
  product: ProductCard;
  score: number;
  matchedBy: MatchSource[];
  /** Shown to fill the list: it misses a type/brand/option the query named. */
  backfill?: boolean;
}

export interface SearchResult {
  query: ParsedQuery;
  /** Filters actually applied after relaxation. */
  filters: SearchFilters;
  relaxed: RelaxableFilter[];
  hits: SearchHit[];
  mode: RetrievalMode;
  /** False when the shop's collection was embedded by another model than the configured one. */
  vectorAvailable: boolean;
  indexVersion: number | null;
  cached: boolean;
}

export interface ProductSearchOptions {
  index: ChromaProductIndex;
  log?: Logger;
  /** Candidates taken from each retriever before fusion. */
  candidates?: number;
  /** Weights of the lexical and vector lists in RRF. */
  lexicalWeight?: number;
  vectorWeight?: number;
  /** RRF's k: larger flattens the rank differences (60 in the original paper). */
  rrfK?: number;
  /** Cached results per shop (least recently used are dropped). */
  cacheSize?: number;
}

export interface ShopSnapshot {
  collection: string;
  version: number;
  vectorAvailable: boolean;
  products: Map<string, IndexedProduct>;
  lexical: LexicalIndex;
  vocabulary: CatalogVocabulary;
  /** lower-cased SKU / barcode / handle → product (and SKU for variant choice) */
  codes: Map<string, { id: string; sku?: string }>;
}

const CODE_TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\-_./]*[\p{L}\p{N}]/gu;

export class ProductSearch {
  private readonly index: ChromaProductIndex;
  private readonly log: Logger | undefined;
  private readonly candidates: number;
  private readonly lexicalWeight: number;
  private readonly vectorWeight: number;
  private readonly rrfK: number;
  private readonly cacheSize: number;
  private readonly snapshots = new Map<string, ShopSnapshot>();
  private readonly loading = new Map<string, Promise<ShopSnapshot>>();
  private readonly caches = new Map<string, Map<string, SearchResult>>();

  constructor(options: ProductSearchOptions) {
    this.index = options.index;
    this.log = options.log;
    this.candidates = options.candidates ?? 50;
    this.lexicalWeight = options.lexicalWeight ?? 1;
    // Chosen on the demo query set (tools/eval/tune.ts); WANDS was not used to choose it.
    this.vectorWeight = options.vectorWeight ?? 0.6;
    this.rrfK = options.rrfK ?? 60;
    this.cacheSize = options.cacheSize ?? 200;
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const mode = request.mode ?? "hybrid";
    const limit = Math.max(1, Math.min(request.limit ?? 10, 100));
    const snapshot = await this.snapshot(request.shop);
    if (!snapshot) {
      const query = parseQuery(request.query);
      return {
        query,
        filters: {},
        relaxed: [],
        hits: [],
        mode,
        vectorAvailable: false,
        indexVersion: null,
        cached: false,
      };
    }
    const cacheKey = JSON.stringify([
      snapshot.version,
      mode,
      limit,
      request.query.trim().toLowerCase(),
      request.filters ?? null,
      request.understandQuery ?? true,
    ]);
    const cache = this.caches.get(request.shop);
    const cached = cache?.get(cacheKey);
    if (cached) {
      cache!.delete(cacheKey);
      cache!.set(cacheKey, cached);
      return { ...cached, cached: true };
    }

    const query =
      request.understandQuery === false
        ? { original: request.query.trim(), text: request.query.trim(), filters: {} }
        : parseQuery(request.query, snapshot.vocabulary);
    let filters: SearchFilters = { ...query.filters, ...request.filters };
    const vectorText = query.text || query.original;
    const vectors =
      mode !== "lexical" && snapshot.vectorAvailable && vectorText
        ? new VectorCandidates(this, snapshot, await this.index.embedQuery(vectorText), this.candidates)
        : null;

    const candidates = { vectors, lexical: snapshot.lexical.prepare(query.text) };
    const relaxed: RelaxableFilter[] = [];
    let hits = await this.retrieve(snapshot, query, filters, mode, limit, candidates);
    for (const name of RELAXATION_ORDER) {
      if (hits.length) break;
      if (!hasFilter(filters, name)) continue;
      filters = withoutFilter(filters, name);
      relaxed.push(name);
      hits = await this.retrieve(snapshot, query, filters, mode, limit, candidates);
    }

    // Fewer than asked for under words the catalog vocabulary turned into filters (type, brand,
    // option): the closest products without them follow, after every product that matches.
    for (const name of ["options", "vendors", "productTypes"] as const) {
      if (hits.length >= limit || !hasFilter(filters, name)) continue;
      const looser = withoutFilter(filters, name);
      const seen = new Set(hits.map((hit) => hit.product.id));
      const extra = await this.retrieve(snapshot, query, looser, mode, limit, candidates);
      hits = [...hits, ...extra.filter((hit) => !seen.has(hit.product.id)).map((hit) => ({ ...hit, backfill: true }))];
      hits = hits.slice(0, limit);
    }

    const result: SearchResult = {
      query,
      filters,
      relaxed,
      hits,
      mode,
      vectorAvailable: snapshot.vectorAvailable,
      indexVersion: snapshot.version,
      cached: false,
    };
    this.remember(request.shop, cacheKey, result);
    return result;
  }

  /** Forgets a shop's snapshot and cache (e.g. after dropShop in this process). */
  forget(shop: string) {
    this.snapshots.delete(shop);
    this.caches.delete(shop);
  }

  // ---- internals -----------------------------------------------------------------------------

  private async retrieve(
    snapshot: ShopSnapshot,
    query: ParsedQuery,
    filters: SearchFilters,
    mode: RetrievalMode,
    limit: number,
    { vectors, lexical: lexicalQuery }: { vectors: VectorCandidates | null; lexical: LexicalQuery },
  ): Promise<SearchHit[]> {
    const accept = (id: string) => {
      const product = snapshot.products.get(id);
      return product !== undefined && matchesFilters(product.metadata, filters);
    };
    const exact = this.exactMatches(snapshot, query.original);
    const text = query.text;
    // The vector query runs in Chroma while the lexical index is searched here.
    const pendingVector = mode !== "lexical" && vectors ? vectors.candidates(filters, accept) : Promise.resolve([]);
    const lexical = mode !== "vector" && text ? lexicalQuery(this.candidates, accept).map((h) => h.id) : [];
    const vectorIds = await pendingVector;

    let ranked: { id: string; score: number }[];
    if (!text && mode !== "vector") {
      // Only filters ("under $30", "in stock"): every matching product, vector order when there is one.
      const order = new Map(vectorIds.map((id, i) => [id, i]));
      ranked = [...snapshot.products.keys()]
        .filter(accept)
        .sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
        .map((id, i) => ({ id, score: 1 / (60 + i + 1) }));
    } else if (mode === "lexical") {
      ranked = lexical.map((id, i) => ({ id, score: 1 / (60 + i + 1) }));
    } else if (mode === "vector") {
      ranked = vectorIds.map((id, i) => ({ id, score: 1 / (60 + i + 1) }));
    } else {
      ranked = reciprocalRankFusion(
        [
          { ids: lexical, weight: this.lexicalWeight },
          { ids: vectorIds, weight: this.vectorWeight },
        ],
        this.rrfK,
      );
    }

    if (filters.sort) {
      // "cheapest …": the most relevant candidates, then by price.
      const pool = ranked.slice(0, Math.max(limit * 2, 20));
      const price = (id: string) => snapshot.products.get(id)!.metadata.minPrice;
      pool.sort((a, b) => (filters.sort === "price_asc" ? price(a.id) - price(b.id) : price(b.id) - price(a.id)));
      ranked = pool;
    }

    const lexicalSet = new Set(lexical);
    const vectorSet = new Set(vectorIds);
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    for (const match of exact) {
      if (seen.has(match.id)) continue;
      seen.add(match.id);
      const product = snapshot.products.get(match.id)!;
      hits.push({ product: productCard(product, filters, match.sku), score: 1, matchedBy: ["exact"] });
    }
    for (const { id, score } of ranked) {
      if (hits.length >= limit) break;
      if (seen.has(id)) continue;
      seen.add(id);
      const matchedBy: MatchSource[] = [];
      if (lexicalSet.has(id)) matchedBy.push("lexical");
      if (vectorSet.has(id)) matchedBy.push("vector");
      hits.push({ product: productCard(snapshot.products.get(id)!, filters), score, matchedBy });
    }
    return hits.slice(0, limit);
  }

  private exactMatches(snapshot: ShopSnapshot, query: string): { id: string; sku?: string }[] {
    const whole = snapshot.codes.get(query.trim().toLowerCase());
    if (whole) return [whole];
    const matches: { id: string; sku?: string }[] = [];
    for (const token of query.match(CODE_TOKEN) ?? []) {
      // Only code-like tokens (a digit or a separator), so ordinary words never jump the ranking.
      if (token.length < 4 || !/[\d\-_.]/.test(token)) continue;
      const match = snapshot.codes.get(token.toLowerCase());
      if (match) matches.push(match);
    }
    return matches;
  }

  /** A Chroma query of the shop's active collection; failures degrade to lexical-only results. */
  async queryVectors(
    snapshot: ShopSnapshot,
    vector: number[],
    limit: number,
    restrict?: { where?: Where; ids?: string[] },
  ): Promise<string[]> {
    const wanted = Math.min(limit, snapshot.products.size);
    if (wanted < 1) return [];
    try {
      return (await this.index.queryVectors(snapshot.collection, vector, wanted, restrict)).map((hit) => hit.id);
    } catch (error) {
      // E.g. the collection was switched by a rebuild elsewhere: lexical still answers; next search reloads.
      this.log?.warn({ err: error, collection: snapshot.collection }, "vector query failed; lexical results only");
      for (const [shop, current] of this.snapshots) if (current === snapshot) this.snapshots.delete(shop);
      return [];
    }
  }

  private async snapshot(shop: string): Promise<ShopSnapshot | null> {
    const state = await this.index.state(shop);
    if (!state) {
      this.forget(shop);
      return null;
    }
    const current = this.snapshots.get(shop);
    if (current && current.version === state.version && current.collection === state.activeCollection) return current;
    const key = `${shop}\n${state.activeCollection}\n${state.version}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = (async () => {
        const started = Date.now();
        const products = await this.index.readAll(state.activeCollection);
        const snapshot: ShopSnapshot = {
          collection: state.activeCollection,
          version: state.version,
          vectorAvailable: this.index.servesCurrentModel(state),
          products: new Map(products.map((p) => [p.id, p])),
          lexical: new LexicalIndex(products),
          vocabulary: buildVocabulary(products.map((p) => p.metadata)),
          codes: codeTable(products),
        };
        this.snapshots.set(shop, snapshot);
        this.caches.delete(shop);
        this.log?.debug({ shop, products: products.length, ms: Date.now() - started }, "search snapshot loaded");
        return snapshot;
      })().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private remember(shop: string, key: string, result: SearchResult) {
    let cache = this.caches.get(shop);
    if (!cache) this.caches.set(shop, (cache = new Map()));
    cache.set(key, result);
    if (cache.size > this.cacheSize) cache.delete(cache.keys().next().value!);
  }
}

function hasAnyFilter(filters: SearchFilters): boolean {
  return RELAXATION_ORDER.some((name) => hasFilter(filters, name));
}

/** Chroma-side filters for what Chroma can evaluate (options are checked here afterwards). */
function chromaWhere(filters: SearchFilters): Where | undefined {
  const conditions: Where[] = [];
  if (filters.maxPrice !== undefined) conditions.push({ minPrice: { $lte: filters.maxPrice } });
  if (filters.minPrice !== undefined) conditions.push({ maxPrice: { $gte: filters.minPrice } });
  if (filters.inStock) conditions.push({ available: { $eq: true } });
  if (filters.productTypes?.length) conditions.push({ productType: { $in: filters.productTypes } });
  if (filters.vendors?.length) conditions.push({ vendor: { $in: filters.vendors } });
  return conditions.length > 1 ? { $and: conditions } : conditions[0];
}

/** Above this many products passing the filters, a `where` filter replaces the id restriction. */
const MAX_ID_RESTRICTION = 4000;

/**
 * Vector candidates for one search: one unfiltered nearest-neighbour query (a pool several times
 * the candidate count) serves every filter combination tried (strict, relaxed, backfill); only
 * when filters keep too few of the pool does a filtered Chroma query run.
 */
class VectorCandidates {
  /** Unfiltered nearest-neighbour pools by size (plain HNSW queries are several times cheaper than filtered ones). */
  private readonly pools = new Map<number, Promise<string[]>>();
  private readonly restricted = new Map<string, Promise<string[]>>();

  constructor(
    private readonly search: ProductSearch,
    private readonly snapshot: ShopSnapshot,
    private readonly vector: number[],
    private readonly count: number,
  ) {}

  private pool(size: number): Promise<string[]> {
    let pool = this.pools.get(size);
    if (!pool) this.pools.set(size, (pool = this.search.queryVectors(this.snapshot, this.vector, size)));
    return pool;
  }

  async candidates(filters: SearchFilters, accept: (id: string) => boolean): Promise<string[]> {
    // Filtered searches start from a larger pool; a restricted Chroma query only runs when the
    // filters keep fewer than a fifth of the candidates wanted from it.
    const size = hasAnyFilter(filters) ? this.count * 20 : this.count * 4;
    const pool = await this.pool(size);
    const kept = pool.filter(accept);
    if (kept.length >= this.count / 5 || pool.length < size) return kept.slice(0, this.count);
    const key = JSON.stringify(filters);
    let pending = this.restricted.get(key);
    if (!pending) {
      pending = this.restrictedQuery(filters, accept, kept);
      this.restricted.set(key, pending);
    }
    return (await pending).filter(accept).slice(0, this.count);
  }

  /**
   * Few products pass the filters (that is why the pool kept so few): the query is restricted to
   * exactly those ids, known from the snapshot. That is several times cheaper in Chroma than a
   * `where` filter and exact for option values too. Past MAX_ID_RESTRICTION ids, `where` is used.
   */
  private restrictedQuery(
    filters: SearchFilters,
    accept: (id: string) => boolean,
    keptFromPool: string[],
  ): Promise<string[]> {
    const accepted = [...this.snapshot.products.keys()].filter(accept);
    if (accepted.length <= MAX_ID_RESTRICTION) {
      return this.search.queryVectors(this.snapshot, this.vector, this.count, { ids: accepted });
    }
    const where = chromaWhere(filters);
    // Only option values, which `where` cannot express: what the pool kept is the best there is.
    if (!where) return Promise.resolve(keptFromPool);
    // Option filters are checked afterwards (Chroma cannot match inside "|Size:M|"): ask for more.
    return this.search.queryVectors(this.snapshot, this.vector, this.count * (filters.options?.length ? 4 : 1), {
      where,
    });
  }
}

function codeTable(products: IndexedProduct[]) {
  const codes = new Map<string, { id: string; sku?: string }>();
  for (const product of products) {
    codes.set(product.metadata.handle.toLowerCase(), { id: product.id });
    for (const sku of product.metadata.skus.split("|").filter(Boolean))
      codes.set(sku.toLowerCase(), { id: product.id, sku });
    for (const barcode of product.metadata.barcodes.split("|").filter(Boolean)) {
      codes.set(barcode.toLowerCase(), { id: product.id });
    }
  }
  return codes;
}
