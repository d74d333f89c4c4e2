// Ranks a shop's knowledge passages for a question (decision 125): BM25 over the passage's source
// title, heading and text, cosine similarity of the vectors, fused by the same weighted reciprocal
// rank fusion as products (search/fusion.ts). Also decides whether the best passage covers the
// question at all, so an answer never quotes a policy about something else. Pure.
import { reciprocalRankFusion } from "../search/fusion";
import { foldTerm, STOP_WORDS } from "../search/search-terms";

export interface RankablePassage {
  id: number;
  sourceTitle: string;
  heading: string | null;
  text: string;
  vector: number[];
}

export interface RankedPassage<P extends RankablePassage = RankablePassage> {
  passage: P;
  /** Fused score (higher is better). */
  score: number;
  /** Share of the question's content words the passage (or its title or heading) contains. */
  coverage: number;
  cosine: number;
  /** The question's content words this passage does not contain. */
  missing: string[];
}

/** Words of a question that say nothing about its subject ("what", "how long", "can I"). */
const QUESTION_WORDS = new Set(
  "what whats how when where which who whom why can could would should will shall may might must am s t d ll ve re if so just get got about there their they them us also else ever please tell know like much many take takes often soon ok okay hi hello thanks thank".split(
    " ",
  ),
);

/** A light stemmer: enough that "returns", "returned" and "returning" meet "return". */
export function stem(word: string): string {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The content words of a text, stemmed, in order, without repeats. */
export function contentStems(text: string): string[] {
  const stems = new Set<string>();
  for (const word of foldTerm(text).split(/[^\p{L}\p{N}]+/u)) {
    if (!word || STOP_WORDS.has(word) || QUESTION_WORDS.has(word)) continue;
    stems.add(stem(word));
  }
  return [...stems];
}

const matches = (queryStem: string, docStem: string) =>
  docStem === queryStem || (queryStem.length >= 4 && docStem.startsWith(queryStem));

function cosine(a: readonly number[], b: readonly number[]): number {
  if (!a.length || a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Words in the title or heading count this many times (they say what the passage is about). */
const TITLE_WEIGHT = 2;

export interface RankOptions {
  /** Vector list weight against the lexical list's 1 in the fusion. */
  vectorWeight?: number;
  limit?: number;
}

export function rankPassages<P extends RankablePassage>(
  question: string,
  questionVector: readonly number[] | null,
  passages: readonly P[],
  options: RankOptions = {},
): RankedPassage<P>[] {
  const queryStems = contentStems(question);
  const docs = passages.map((passage) => {
    const titleStems = contentStems(`${passage.sourceTitle} ${passage.heading ?? ""}`);
    const textStems = foldTerm(passage.text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map(stem);
    const weighted = [...titleStems.flatMap((s) => Array<string>(TITLE_WEIGHT).fill(s)), ...textStems];
    return { passage, stems: weighted, distinct: [...new Set(weighted)] };
  });
  const averageLength = docs.reduce((sum, d) => sum + d.stems.length, 0) / Math.max(1, docs.length);
  const documentFrequency = new Map<string, number>();
  for (const q of queryStems) {
    documentFrequency.set(q, docs.filter((d) => d.distinct.some((s) => matches(q, s))).length);
  }
  const scored = docs.map((doc) => {
    let bm25 = 0;
    const missing: string[] = [];
    for (const q of queryStems) {
      const frequency = doc.stems.filter((s) => matches(q, s)).length;
      if (!frequency) {
        missing.push(q);
        continue;
      }
      const df = documentFrequency.get(q) ?? 0;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      bm25 +=
        (idf * frequency * (BM25_K1 + 1)) /
        (frequency + BM25_K1 * (1 - BM25_B + (BM25_B * doc.stems.length) / averageLength));
    }
    const similarity = questionVector ? cosine(questionVector, doc.passage.vector) : 0;
    return {
      doc,
      bm25,
      similarity,
      missing,
      coverage: queryStems.length ? (queryStems.length - missing.length) / queryStems.length : 0,
    };
  });
  const key = (s: (typeof scored)[number]) => String(s.doc.passage.id);
  const lexical = scored.filter((s) => s.bm25 > 0).sort((a, b) => b.bm25 - a.bm25);
  const vector = questionVector ? [...scored].sort((a, b) => b.similarity - a.similarity) : [];
  const fused = reciprocalRankFusion([
    { ids: lexical.map(key), weight: 1 },
    { ids: vector.map(key), weight: options.vectorWeight ?? 1 },
  ]);
  const byKey = new Map(scored.map((s) => [key(s), s]));
  return fused.slice(0, options.limit ?? 5).map(({ id, score }) => {
    const s = byKey.get(id)!;
    return { passage: s.doc.passage, score, coverage: s.coverage, cosine: s.similarity, missing: s.missing };
  });
}

/** Whether a question word (stem) matches a word of some text's stems. */
export function stemMatches(queryStem: string, docStem: string): boolean {
  return matches(queryStem, docStem);
}

export interface CoverageThresholds {
  /** A passage containing at least this share of the question's words covers it. */
  minCoverage: number;
  /** Or one whose vector is at least this similar, if it shares a word with the question. */
  minCosine: number;
}

export const DEFAULT_COVERAGE: CoverageThresholds = { minCoverage: 0.5, minCosine: 0.5 };

/**
 * Share of `words` (a question's stems) a passage contains, given the question stems it lacks; the
 * answer engine leaves out the words that name products ("tent") and measures the rest ("return").
 */
export function coverageOf(words: readonly string[], missing: readonly string[]): number {
  if (!words.length) return 0;
  return words.filter((word) => !missing.includes(word)).length / words.length;
}

/** Whether a passage answers the question rather than merely sharing a word with it. */
export function covers(coverage: number, cosine: number, thresholds: CoverageThresholds = DEFAULT_COVERAGE): boolean {
  if (coverage >= thresholds.minCoverage) return true;
  return coverage > 0 && cosine >= thresholds.minCosine;
}
