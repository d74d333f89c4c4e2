// Retrieval metrics over graded judgements (gain 2 = exact, 1 = partial, 0 = irrelevant).
// recall@k and MRR count gain-2 products as relevant; nDCG@k uses the graded gains (linear),
// with the ideal ranking taken from all judged products of the query.

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
