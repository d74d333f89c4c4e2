// Pseudo-relevance feedback on the query's vector (Rocchio; decision 146). Pure: the search reads
// the candidates' vectors and calls these.

/** Feedback settings: how many of the fused best products move the query, and how far. */
export interface RelevanceFeedback {
  /** The best this many products of the first fusion are taken as relevant. */
  documents: number;
  /** Weight of their mean vector against the query's own (each unit length). */
  weight: number;
}

/** Chosen on demo + spacire (3 and 0.7, mid-range of what won on both; decision 146). */
export const DEFAULT_RELEVANCE_FEEDBACK: RelevanceFeedback = { documents: 3, weight: 0.7 };

function unit(vector: readonly number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm > 0 ? vector.map((x) => x / norm) : [...vector];
}

/**
 * Rocchio's query: the query's unit vector plus `weight` × the mean of the feedback documents' unit
 * vectors. The query alone when no feedback vector fits it (none, or another model's dimensions).
 */
export function feedbackQueryVector(
  query: readonly number[],
  feedback: readonly (readonly number[])[],
  weight: number,
) {
  const usable = feedback.filter((vector) => vector.length === query.length).map(unit);
  const moved = unit(query);
  if (!usable.length || weight <= 0) return moved;
  for (const vector of usable) vector.forEach((x, i) => (moved[i] += (weight * x) / usable.length));
  return moved;
}

/**
 * The candidates that have a vector, best first by cosine similarity to `vector` (ties by id, so
 * the order does not depend on the order the store returned them in).
 */
export function rankByVector(vector: readonly number[], candidates: ReadonlyMap<string, readonly number[]>): string[] {
  const direction = unit(vector);
  const scored: { id: string; similarity: number }[] = [];
  for (const [id, candidate] of candidates) {
    if (candidate.length !== direction.length) continue;
    const norm = Math.hypot(...candidate);
    if (!(norm > 0)) continue;
    let dot = 0;
    for (let i = 0; i < direction.length; i++) dot += direction[i] * candidate[i];
    scored.push({ id, similarity: dot / norm });
  }
  return scored
    .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((entry) => entry.id);
}
