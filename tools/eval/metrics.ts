// Retrieval metrics over graded judgements (gain 2 = exact, 1 = partial, 0 = irrelevant).
// recall@k and MRR count gain-2 products as relevant; nDCG@k uses the graded gains (linear),
// with the ideal ranking taken from all judged products of the query.
import type { Product } from "../../app/lib/catalog/product";

export type Judgements = Map<string, number>;

/** Share of the relevant products found in the top k; the denominator is capped at k. */
export function recallAt(ranked: string[], judgements: Judgements, k: number): number {
  const relevant = [...judgements.values()].filter((gain) => gain >= 2).length;
  if (!relevant) return 0;
  const found = ranked.slice(0, k).filter((id) => (judgements.get(id) ?? 0) >= 2).length;
  return found / Math.min(relevant, k);
}

export function ndcgAt(ranked: string[], judgements: Judgements, k: number): number {
  const dcg = (gains: number[]) => gains.slice(0, k).reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  const ideal = dcg([...judgements.values()].sort((a, b) => b - a));
  return ideal ? dcg(ranked.map((id) => judgements.get(id) ?? 0)) / ideal : 0;
}

/** Reciprocal rank of the first relevant product (0 when none is retrieved). */
export function reciprocalRank(ranked: string[], judgements: Judgements): number {
  const index = ranked.findIndex((id) => (judgements.get(id) ?? 0) >= 2);
  return index < 0 ? 0 : 1 / (index + 1);
}

export interface Scores {
  recall: number;
  ndcg: number;
  mrr: number;
}

export function meanScores(rows: Scores[]): Scores {
  const mean = (key: keyof Scores) => rows.reduce((sum, row) => sum + row[key], 0) / (rows.length || 1);
  return { recall: mean("recall"), ndcg: mean("ndcg"), mrr: mean("mrr") };
}

/** A judged query as the sets write it: the text, or how to derive it from the one product it names. */
export interface JudgedQueryEntry<Kind, Criteria extends { handle?: string }> {
  kind: Kind;
  query: string | ((product: Product) => string);
  criteria: Criteria;
}

/**
 * Each entry's query text and its judgements over the catalog (gain per product from `judge`).
 * Fails when an entry names a product the catalog lacks or no product is fully relevant: a set
 * that silently lost its targets would score anything.
 */
export function judgedQuerySet<Kind, Criteria extends { handle?: string }>(
  setName: string,
  entries: JudgedQueryEntry<Kind, Criteria>[],
  catalog: Product[],
  judge: (product: Product, criteria: Criteria) => number,
): { query: string; kind: Kind; judgements: Judgements }[] {
  return entries.map((entry) => {
    const target = entry.criteria.handle ? catalog.find((p) => p.handle === entry.criteria.handle) : undefined;
    if (entry.criteria.handle && !target) {
      throw new Error(`${setName} query names a missing product: ${entry.criteria.handle}`);
    }
    const query = typeof entry.query === "function" ? entry.query(target!) : entry.query;
    const judgements: Judgements = new Map();
    for (const product of catalog) {
      const gain = judge(product, entry.criteria);
      if (gain) judgements.set(product.id, gain);
    }
    if (![...judgements.values()].some((gain) => gain >= 2)) throw new Error(`no relevant product for "${query}"`);
    return { query, kind: entry.kind, judgements };
  });
}
