// Hybrid product search for one shop: exact SKU/barcode/handle hits first, then lexical and vector
// candidates fused by weighted reciprocal rank fusion, one result per product with the matching
// variant chosen. Filters come from query understanding and are relaxed, least certain first, when
// they leave nothing.
//
// Nothing of a catalog is kept in this process (docs/decisions/098): full-text ranking, filters and
// exact codes run in the app database (CatalogStore), nearest neighbours in the vector store, and
// the cards are read for the final hits only. What is cached is bounded by configuration: results
// (keyed by the shop's index version, which every write bumps, so any instance's write invalidates)
// and each shop's query vocabulary (keyed by its vocabulary version, which only type, brand and
// option changes bump — a price change every second leaves it alone).
import type { SearchIndex } from "@prisma/client";
import { LRUCache } from "lru-cache";
import type { Logger } from "../logger.server";
import type { CatalogStore } from "./catalog-store";
import { productCard, reciprocalRankFusion, tieredFusion, type ProductCard } from "./fusion";
import { buildKindVocabulary, detectKind, type KindVocabulary, type ProductKind } from "./product-kind";
import {
  BACKFILL_ORDER,
  buildVocabulary,
  hasFilter,
  parseQuery,
  RELAXATION_ORDER,
  withoutFilter,
  type BackfillFilter,
  type CatalogVocabulary,
  type ParsedQuery,
  type RelaxableFilter,
  type SearchFilters,
} from "./query-parser";
import {
  DEFAULT_RELEVANCE_FEEDBACK,
  feedbackQueryVector,
  rankByVector,
  type RelevanceFeedback,
} from "./relevance-feedback";
import type { VectorHit } from "./vector-store";

/** What search needs of the index: the registry row, the catalog and the shop's vectors. */
export interface SearchableIndex {
  catalog: CatalogStore;
  state(shop: string): Promise<SearchIndex | null>;
  servesCurrentModel(state: SearchIndex): boolean;
  queryVectors(state: SearchIndex, vector: number[], k: number, restrictTo?: string[]): Promise<VectorHit[]>;
  /** The stored vectors of these products in the shop's active collection (relevance feedback). */
  vectorsOf(state: SearchIndex, ids: string[]): Promise<Map<string, number[]>>;
  /** Up to this many products passing the filters, the vector query is restricted to their ids. */
  readonly maxRestrictedIds: number;
  embedQuery(text: string): Promise<number[]>;
}

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
  /**
   * true: the kind of product the text asks for (product-kind.ts) filters the candidates, relaxed
   * last — what the answer engine asks for (decision 126). Off by default: on the held-out WANDS
   * set it lowered hybrid nDCG@10 (0.733 → 0.686) while raising the demo set's (0.890 → 0.905).
   */
  kindFirst?: boolean;
}

export interface SearchHit {
  product: ProductCard;
  score: number;
  matchedBy: MatchSource[];
  /** Shown to fill the list: it misses a type/brand/option the query named. */
  backfill?: boolean;
  /** A backfill's missing filter: the one the search dropped to find it. */
  missing?: BackfillFilter;
}

export interface SearchResult {
  query: ParsedQuery;
  /** The kind of product asked for, from the shop's vocabulary (its types became the type filter). */
  kind: ProductKind | null;
  /** Filters before relaxation: what the shopper asked for. */
  requested: SearchFilters;
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
  index: SearchableIndex;
  log?: Logger;
  /** Candidates taken from each retriever before fusion. */
  candidates?: number;
  /** Weights of the lexical and vector lists in RRF. */
  lexicalWeight?: number;
  vectorWeight?: number;
  /** RRF's k: larger flattens the rank differences (60 in the original paper). */
  rrfK?: number;
  /**
   * Hybrid: the lexical candidates whose name (title, brand, type, codes) holds every word of the
   * query rank first, in fused order (decision 130); false = plain weighted RRF.
   */
  namedFirst?: boolean;
  /**
   * Hybrid: the vector list is ranked again by the query moved towards the best products of a first
   * fusion (decision 146). null: off.
   */
  relevanceFeedback?: RelevanceFeedback | null;
  /** Cached results, all shops together (least recently used are dropped; 0 = no cache). */
  cacheSize?: number;
  /** Shops whose catalog vocabulary is kept (least recently used are dropped). */
  vocabularyCacheShops?: number;
  /**
   * How long a search waits for the vector store before answering without its candidates (0 = no
   * limit). A vector server busy with its own maintenance (Chroma catching up with and saving its
   * index after a bulk import) otherwise holds every search for seconds; while such a late query is
   * pending, other searches of that collection do not wait for it at all (decision 099).
   */
  vectorTimeoutMs?: number;
}

/** Code-like tokens of a query (SKUs such as "NP-STORM-M", barcodes, handles). */
const CODE_TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\-_./]*[\p{L}\p{N}]/gu;

/** A collection whose query ran past its budget is skipped until that query settles, at most this long. */
const STALL_RETRY_MS = 30_000;

interface VocabularyEntry {
  version: number;
  vocabulary: Promise<CatalogVocabulary>;
}

interface KindEntry {
  version: number;
  vocabulary: Promise<KindVocabulary>;
}

/** One search's fixed inputs: the query, its exact-code hits and its vector candidates. */
interface SearchScope {
  shop: string;
  query: ParsedQuery;
  mode: RetrievalMode;
  limit: number;
  /** Looked up while the text is ranked and the query embedded: nothing waits for it before that. */
  exact: Promise<{ id: string; sku?: string }[]>;
  vectors: VectorCandidates | null;
  /** The shop's index as the search found it, and the query's vector (null when it has none). */
  state: SearchIndex;
  queryVector: Promise<number[]> | null;
  /** Set when the vector store failed or was too slow: the result is not cached. */
  degraded: { vectors: boolean };
}

export class ProductSearch {
  private readonly index: SearchableIndex;
  private readonly catalog: CatalogStore;
  private readonly log: Logger | undefined;
  private readonly candidates: number;
  private readonly lexicalWeight: number;
  private readonly vectorWeight: number;
  private readonly rrfK: number;
  private readonly namedFirst: boolean;
  private readonly feedback: RelevanceFeedback | null;
  private readonly results: LRUCache<string, SearchResult> | null;
  private readonly vocabularies: LRUCache<string, VocabularyEntry>;
  private readonly kinds: LRUCache<string, KindEntry>;
  private readonly vectorTimeoutMs: number;
  /** Per collection: vector queries past their budget and not settled yet, and since when. */
  private readonly overdue = new Map<string, { count: number; since: number }>();

  constructor(options: ProductSearchOptions) {
    this.index = options.index;
    this.catalog = options.index.catalog;
    this.log = options.log;
    this.candidates = options.candidates ?? 50;
    this.lexicalWeight = options.lexicalWeight ?? 1;
    // Chosen on the demo query set, checked with named-first on demo + spacire (tools/eval/tune.ts,
    // decision 130); WANDS was not used to choose it.
    this.vectorWeight = options.vectorWeight ?? 0.6;
    this.rrfK = options.rrfK ?? 60;
    this.namedFirst = options.namedFirst ?? true;
    this.feedback = options.relevanceFeedback === undefined ? DEFAULT_RELEVANCE_FEEDBACK : options.relevanceFeedback;
    const cacheSize = options.cacheSize ?? 200;
    this.results = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null;
    this.vocabularies = new LRUCache({ max: Math.max(1, options.vocabularyCacheShops ?? 100) });
    this.kinds = new LRUCache({ max: Math.max(1, options.vocabularyCacheShops ?? 100) });
    this.vectorTimeoutMs = options.vectorTimeoutMs ?? 0;
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const mode = request.mode ?? "hybrid";
    const limit = Math.max(1, Math.min(request.limit ?? 10, 100));
    const state = await this.index.state(request.shop);
    if (!state) {
      return {
        query: parseQuery(request.query),
        kind: null,
        requested: {},
        filters: {},
        relaxed: [],
        hits: [],
        mode,
        vectorAvailable: false,
        indexVersion: null,
        cached: false,
      };
    }
    // The version moves with every write by any instance, so a cached result is never stale.
    const cacheKey = JSON.stringify([
      request.shop,
      state.version,
      state.activeCollection,
      mode,
      limit,
      request.query.trim().toLowerCase(),
      request.filters ?? null,
      request.understandQuery ?? true,
      request.kindFirst ?? false,
    ]);
    const cached = this.results?.get(cacheKey);
    if (cached) return { ...cached, cached: true };

    const query =
      request.understandQuery === false
        ? { original: request.query.trim(), text: request.query.trim(), filters: {} }
        : parseQuery(request.query, await this.vocabulary(request.shop, state.vocabularyVersion));
    // The kind asked for ranks first: its types filter the candidates (others only when it has none).
    const kind =
      request.understandQuery === false || !request.kindFirst
        ? null
        : detectKind(query.text, await this.kindVocabulary(request.shop, state.vocabularyVersion));
    let filters: SearchFilters = {
      ...query.filters,
      ...(kind ? { productTypes: kind.productTypes } : {}),
      ...request.filters,
    };
    const requested = filters;
    const vectorAvailable = this.index.servesCurrentModel(state);
    const vectorText = query.text || query.original;
    const degraded = { vectors: false };
    // The query is embedded while the database looks up codes and ranks the text: only the vector
    // query waits for it.
    const queryVector = mode !== "lexical" && vectorAvailable && vectorText ? this.index.embedQuery(vectorText) : null;
    const vectors = queryVector
      ? new VectorCandidates({
          catalog: this.catalog,
          shop: request.shop,
          query: this.vectorQuery(state, queryVector, degraded),
          count: this.candidates,
          maxRestricted: this.index.maxRestrictedIds,
        })
      : null;
    const scope: SearchScope = {
      shop: request.shop,
      query,
      state,
      queryVector,
      mode,
      limit,
      degraded,
      exact: this.exactMatches(request.shop, query.original),
      vectors,
    };
    // Awaited by every retrieval; a search that fails before one must not leave it unhandled.
    scope.exact.catch(() => undefined);

    const relaxed: RelaxableFilter[] = [];
    let hits = await this.retrieve(scope, filters);
    for (const name of RELAXATION_ORDER) {
      if (hits.length) break;
      if (!hasFilter(filters, name)) continue;
      // A price nothing meets: the nearest prices come first ("the cheapest is …").
      const nearest = name === "price" && !filters.sort ? priceOrderTowards(filters) : undefined;
      filters = { ...withoutFilter(filters, name), ...(nearest ? { sort: nearest } : {}) };
      relaxed.push(name);
      hits = await this.retrieve(scope, filters);
    }

    // Fewer than asked for under words the catalog vocabulary turned into filters (type, brand,
    // option): the closest products without them follow, after every product that matches.
    for (const name of BACKFILL_ORDER) {
      if (hits.length >= limit || !hasFilter(filters, name)) continue;
      const seen = new Set(hits.map((hit) => hit.product.id));
      const extra = await this.retrieve(scope, withoutFilter(filters, name));
      hits = [
        ...hits,
        ...extra.filter((hit) => !seen.has(hit.product.id)).map((hit) => ({ ...hit, backfill: true, missing: name })),
      ];
      hits = hits.slice(0, limit);
    }

    const result: SearchResult = {
      query,
      kind,
      requested,
      filters,
      relaxed,
      hits,
      mode,
      vectorAvailable,
      indexVersion: state.version,
      cached: false,
    };
    // A result without its vector candidates is not kept: the next search may get them.
    if (!degraded.vectors) this.results?.set(cacheKey, result);
    return result;
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Nearest neighbours in the shop's active collection; a failing embedder or vector store degrades
   * to lexical results. The time budget starts once the query is embedded: it is the vector
   * store's, and a remote embedder's round trip must not use it up.
   */
  private vectorQuery(state: SearchIndex, vector: Promise<number[]>, degraded: { vectors: boolean }): VectorQuery {
    const collection = state.activeCollection;
    // Awaited by every vector query below; a search that fails before asking must not leave it unhandled.
    vector.catch(() => undefined);
    return async (k, restrictTo) => {
      if (this.isStalled(collection)) {
        // Another search's query is still waiting on this collection: do not queue behind it.
        degraded.vectors = true;
        return [];
      }
      try {
        const pending = this.index.queryVectors(state, await vector, k, restrictTo);
        const hits = await withDeadline(pending, this.vectorTimeoutMs);
        if (hits) return hits.map((hit) => hit.id);
        this.markOverdue(collection, pending);
        this.log?.warn({ collection, timeoutMs: this.vectorTimeoutMs }, "vector query too slow; lexical results only");
      } catch (error) {
        this.log?.warn({ err: error, collection }, "vector query failed; lexical results only");
      }
      degraded.vectors = true;
      return [];
    };
  }

  /**
   * Rocchio's pseudo-relevance feedback (decision 146): the best products of a first fusion stand for
   * what the shopper means, and the candidates of both lists are ranked by the query's vector moved
   * towards theirs. The vector list as it was when the store cannot give the candidates' vectors.
   */
  private async withFeedback(scope: SearchScope, lexical: string[], vectorIds: string[]): Promise<string[]> {
    if (!this.feedback || !scope.queryVector || !vectorIds.length) return vectorIds;
    const { documents, weight } = this.feedback;
    const lists = [
      { ids: lexical, weight: this.lexicalWeight },
      { ids: vectorIds, weight: this.vectorWeight },
    ];
    const best = reciprocalRankFusion(lists, this.rrfK)
      .slice(0, documents)
      .map((entry) => entry.id);
    const candidates = [...new Set([...vectorIds, ...lexical])];
    const collection = scope.state.activeCollection;
    try {
      const pending = this.index.vectorsOf(scope.state, candidates);
      const stored = await withDeadline(pending, this.vectorTimeoutMs);
      if (stored) {
        const feedback = best.map((id) => stored.get(id)).filter((vector) => vector !== undefined);
        return rankByVector(feedbackQueryVector(await scope.queryVector, feedback, weight), stored).slice(
          0,
          vectorIds.length,
        );
      }
      pending.catch(() => undefined);
      this.log?.warn({ collection, timeoutMs: this.vectorTimeoutMs }, "candidate vectors too slow; no feedback");
    } catch (error) {
      this.log?.warn({ err: error, collection }, "candidate vectors failed; no feedback");
    }
    scope.degraded.vectors = true;
    return vectorIds;
  }

  /** Whether a query past its budget is still pending on the collection (looked at again after 30 s). */
  private isStalled(collection: string): boolean {
    const overdue = this.overdue.get(collection);
    return overdue !== undefined && Date.now() - overdue.since < STALL_RETRY_MS;
  }

  private markOverdue(collection: string, pending: Promise<unknown>): void {
    const overdue = this.overdue.get(collection);
    this.overdue.set(collection, { count: (overdue?.count ?? 0) + 1, since: Date.now() });
    const settled = () => {
      const current = this.overdue.get(collection);
      if (current && current.count > 1) current.count--;
      else this.overdue.delete(collection);
    };
    pending.then(settled, settled);
  }

  private async retrieve(scope: SearchScope, filters: SearchFilters): Promise<SearchHit[]> {
    const { shop, query, mode, limit, vectors } = scope;
    const text = query.text;
    // The vector store and the database work at the same time.
    const pendingVector = mode !== "lexical" && vectors ? vectors.candidates(filters) : Promise.resolve([]);
    const lexicalHits =
      mode !== "vector" && text ? await this.catalog.lexical(shop, text, filters, this.candidates) : [];
    const lexical = lexicalHits.map((hit) => hit.id);
    const vectorIds = await pendingVector;
    const exact = await scope.exact;

    let ranked: { id: string; score: number }[];
    if (!text && mode !== "vector") {
      // Only filters ("under $30", "in stock"): the matching products, vector order first when there is one.
      const seen = new Set(vectorIds);
      const rest = (await this.catalog.filtered(shop, filters, limit + vectorIds.length)).filter((id) => !seen.has(id));
      ranked = [...vectorIds, ...rest].map((id, i) => ({ id, score: 1 / (60 + i + 1) }));
    } else {
      const lists =
        mode === "lexical"
          ? [{ ids: lexical, weight: 1 }]
          : mode === "vector"
            ? [{ ids: vectorIds, weight: 1 }]
            : [
                { ids: lexical, weight: this.lexicalWeight },
                { ids: await this.withFeedback(scope, lexical, vectorIds), weight: this.vectorWeight },
              ];
      ranked =
        mode === "hybrid" && this.namedFirst
          ? tieredFusion(lists, new Set(lexicalHits.filter((hit) => hit.named).map((hit) => hit.id)), this.rrfK)
          : reciprocalRankFusion(lists, this.rrfK);
    }

    // Only the cards that can be shown are read (sorting by price looks at a larger pool).
    const poolSize = filters.sort ? Math.max(limit * 2, 20) : limit;
    const exactIds = exact.map((match) => match.id);
    const poolIds = [...new Set([...exactIds, ...ranked.slice(0, poolSize + exactIds.length).map((r) => r.id)])];
    const products = new Map((await this.catalog.read(shop, poolIds)).map((p) => [p.id, p]));
    if (filters.sort) {
      // "cheapest …": the most relevant candidates, then by price.
      const price = (id: string) => products.get(id)?.metadata.minPrice ?? Infinity;
      ranked = ranked.slice(0, poolSize + exactIds.length);
      ranked.sort((a, b) => (filters.sort === "price_asc" ? price(a.id) - price(b.id) : price(b.id) - price(a.id)));
    }

    const lexicalSet = new Set(lexical);
    const vectorSet = new Set(vectorIds);
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    for (const match of exact) {
      const product = products.get(match.id);
      if (!product || seen.has(match.id)) continue;
      seen.add(match.id);
      hits.push({ product: productCard(product, filters, match.sku), score: 1, matchedBy: ["exact"] });
    }
    for (const { id, score } of ranked) {
      if (hits.length >= limit) break;
      const product = products.get(id);
      // A vector whose product was deleted a moment ago has no catalog row: it is not shown.
      if (!product || seen.has(id)) continue;
      seen.add(id);
      const matchedBy: MatchSource[] = [];
      if (lexicalSet.has(id)) matchedBy.push("lexical");
      if (vectorSet.has(id)) matchedBy.push("vector");
      hits.push({ product: productCard(product, filters), score, matchedBy });
    }
    return hits.slice(0, limit);
  }

  private async exactMatches(shop: string, query: string): Promise<{ id: string; sku?: string }[]> {
    const whole = query.trim().toLowerCase();
    // Only code-like tokens (a digit or a separator), so ordinary words never jump the ranking.
    const tokens = (query.match(CODE_TOKEN) ?? [])
      .filter((token) => token.length >= 4 && /[\d\-_.]/.test(token))
      .map((token) => token.toLowerCase());
    if (!whole) return [];
    const matches = await this.catalog.exactCodes(shop, [...new Set([whole, ...tokens])]);
    const byCode = new Map(matches.map((match) => [match.code, match]));
    const wholeMatch = byCode.get(whole);
    if (wholeMatch) return [{ id: wholeMatch.id, sku: wholeMatch.sku }];
    return tokens.flatMap((token) => {
      const match = byCode.get(token);
      return match ? [{ id: match.id, sku: match.sku }] : [];
    });
  }

  /** The kind the text asks for in the shop's vocabulary (conversation state: does a message start a new topic?). */
  async kindOf(shop: string, text: string): Promise<ProductKind | null> {
    const state = await this.index.state(shop);
    return state ? detectKind(text, await this.kindVocabulary(shop, state.vocabularyVersion)) : null;
  }

  /**
   * The shop's query vocabulary (types, brands, option values) and its product types, most products
   * first: what a language model's proposed filters are checked against (decision 131).
   */
  async vocabularyOf(
    shop: string,
  ): Promise<{ vocabulary: CatalogVocabulary; productTypes: string[]; words: Set<string> } | null> {
    const state = await this.index.state(shop);
    if (!state) return null;
    const [vocabulary, kinds] = await Promise.all([
      this.vocabulary(shop, state.vocabularyVersion),
      this.kindVocabulary(shop, state.vocabularyVersion),
    ]);
    return { vocabulary, productTypes: kinds.productTypes, words: kinds.words };
  }

  /** Cards of products shown earlier, in the order given (deleted ones left out). */
  async cards(shop: string, productIds: string[]): Promise<ProductCard[]> {
    if (!productIds.length) return [];
    const products = new Map((await this.catalog.read(shop, productIds)).map((p) => [p.id, p]));
    return productIds.flatMap((id) => {
      const product = products.get(id);
      return product ? [productCard(product, {})] : [];
    });
  }

  /**
   * The shop's product-kind vocabulary, rebuilt when its vocabulary version moves (a type, title,
   * brand or option changed, or a product came or went); a bounded number of shops is kept.
   */
  private kindVocabulary(shop: string, version: number): Promise<KindVocabulary> {
    const entry = this.kinds.get(shop);
    if (entry && entry.version === version) return entry.vocabulary;
    const vocabulary = this.catalog.kindSource(shop).then(buildKindVocabulary);
    vocabulary.catch(() => {
      if (this.kinds.get(shop)?.vocabulary === vocabulary) this.kinds.delete(shop);
    });
    this.kinds.set(shop, { version, vocabulary });
    return vocabulary;
  }

  /** The shop's query vocabulary, rebuilt only when a type, brand or option value changed. */
  private vocabulary(shop: string, version: number): Promise<CatalogVocabulary> {
    const entry = this.vocabularies.get(shop);
    if (entry && entry.version === version) return entry.vocabulary;
    const vocabulary = this.catalog
      .vocabularySource(shop)
      .then((source) =>
        buildVocabulary([
          ...source.productTypes.map((productType) => ({ productType, vendor: "", optionValues: "" })),
          ...source.vendors.map((vendor) => ({ productType: "", vendor, optionValues: "" })),
          ...source.optionValues.map((optionValues) => ({ productType: "", vendor: "", optionValues })),
        ]),
      );
    vocabulary.catch(() => {
      if (this.vocabularies.get(shop)?.vocabulary === vocabulary) this.vocabularies.delete(shop);
    });
    this.vocabularies.set(shop, { version, vocabulary });
    return vocabulary;
  }
}

/** The promise's value, or null when it has not settled within `ms` (0 = wait for it). */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | null> {
  if (!(ms > 0)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The price order that puts the prices nearest a dropped price bound first. */
function priceOrderTowards(filters: SearchFilters): SearchFilters["sort"] {
  if (filters.maxPrice !== undefined) return "price_asc";
  if (filters.minPrice !== undefined) return "price_desc";
  return undefined;
}

/** Nearest product ids to the query vector, optionally only among `restrictTo`. */
type VectorQuery = (k: number, restrictTo?: string[]) => Promise<string[]>;

function hasAnyFilter(filters: SearchFilters): boolean {
  return RELAXATION_ORDER.some((name) => hasFilter(filters, name));
}

/**
 * Vector candidates for one search, per filter combination tried (strict, relaxed, backfill): the
 * plain nearest neighbours without filters; with filters, a query restricted to the passing
 * products when they are few, else the passing members of one shared nearest-neighbour pool.
 */
class VectorCandidates {
  private readonly pools = new Map<number, Promise<string[]>>();
  private readonly filteredByKey = new Map<string, Promise<string[]>>();

  private readonly catalog: CatalogStore;
  private readonly shop: string;
  private readonly query: VectorQuery;
  private readonly count: number;
  private readonly maxRestricted: number;

  constructor(options: {
    catalog: CatalogStore;
    shop: string;
    query: VectorQuery;
    count: number;
    maxRestricted: number;
  }) {
    this.catalog = options.catalog;
    this.shop = options.shop;
    this.query = options.query;
    this.count = options.count;
    this.maxRestricted = options.maxRestricted;
  }

  private pool(size: number): Promise<string[]> {
    let pool = this.pools.get(size);
    if (!pool) this.pools.set(size, (pool = this.query(size)));
    return pool;
  }

  async candidates(filters: SearchFilters): Promise<string[]> {
    if (!hasAnyFilter(filters)) return this.pool(this.count);
    const key = JSON.stringify(filters);
    let pending = this.filteredByKey.get(key);
    if (!pending) {
      pending = this.filteredCandidates(filters);
      this.filteredByKey.set(key, pending);
    }
    return pending;
  }

  /**
   * When few products pass the filters (the database lists them), the vector query is restricted to
   * exactly those: exact, and cheaper than a large pool (up to the vector store's bound, decision
   * 134). When more pass, a pool of the nearest 8× the candidates keeps enough of them when a tenth
   * or more of the catalog passes.
   */
  private async filteredCandidates(filters: SearchFilters): Promise<string[]> {
    // Which products pass, not in what order: the database stops at the limit instead of ordering
    // every passing product.
    const passing = await this.catalog.passing(this.shop, filters, this.maxRestricted + 1);
    if (passing.length <= this.maxRestricted) {
      return passing.length ? this.query(Math.min(this.count, passing.length), passing) : [];
    }
    const pool = await this.pool(this.count * 8);
    const kept = new Set(await this.catalog.passing(this.shop, filters, pool.length, pool));
    return pool.filter((id) => kept.has(id)).slice(0, this.count);
  }
}
