// Deterministic pseudo-random unit vectors for tests and benchmarks: the same text (or seed and
// index) always gives the same vector, so a failure reproduces, and nearest-neighbour cost depends
// on count and dimension, not on what vectors mean (embedding 100k texts locally takes hours).

/** A unit vector derived from `text`. */
export function pseudoVector(text: string, dimensions: number): number[] {
  let seed = 7;
  for (let i = 0; i < text.length; i++) seed = (seed * 31 + text.charCodeAt(i)) >>> 0;
  const vector = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    vector[i] = seed / 2 ** 32 - 0.5;
    norm += vector[i] * vector[i];
  }
  norm = Math.sqrt(norm);
  return vector.map((v) => v / norm);
}

/** `count` unit vectors for a numeric seed. */
export function pseudoVectors(count: number, dimensions: number, seed: number): number[][] {
  return Array.from({ length: count }, (_, i) => pseudoVector(`${seed}:${i}`, dimensions));
}
