// How a search text becomes query terms, shared by every lexical engine: lower case, accents
// folded, stop words dropped. Pure. The SQL catalog builds FTS5 / tsquery strings from these terms,
// so a term never holds anything but letters and digits (no quotes, operators or column syntax).

export const STOP_WORDS: ReadonlySet<string> = new Set(
  "a an and are as at be by for from has have i in is it its me my of on or our that the this to was we with you your do does any some want need looking show find".split(
    " ",
  ),
);

/**
 * The text's last word, when at least this long, also matches as a prefix ("waterp" →
 * "waterproof"): it may still be being typed. Shorter ones would match a large part of the
 * vocabulary ("m" → every word starting with m).
 */
export const PREFIX_MIN_LENGTH = 4;

/** Lower case with accents folded ("Café" → "cafe"). */
export function foldTerm(term: string): string {
  return term
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

export interface SearchTerm {
  term: string;
  prefix: boolean;
}

/**
 * The distinct terms of a search text, in order. Anything but letters and digits separates words,
 * so "NP-STORM-M" gives np, storm, m and hostile input (`"`, `*`, `NEAR(`, `:`) gives plain words.
 * Whole words match their stem exactly; only the last word may be a prefix (decision 132: a prefix
 * of a common word is a scan of every word it begins, and words the shopper finished are not).
 */
export function searchTerms(text: string): SearchTerm[] {
  const words = foldTerm(text).split(/[^\p{L}\p{N}]+/u);
  // A text ending in a space or punctuation ends in an empty word: its last word is finished.
  const last = words[words.length - 1];
  const terms = new Map<string, SearchTerm>();
  for (const word of words) {
    if (!word || STOP_WORDS.has(word) || terms.has(word)) continue;
    terms.set(word, { term: word, prefix: false });
  }
  const typing = last ? terms.get(last) : undefined;
  if (typing && typing.term.length >= PREFIX_MIN_LENGTH) typing.prefix = true;
  return [...terms.values()];
}

/** n choose k. */
export function combinationCount(n: number, k: number): number {
  let count = 1;
  for (let i = 1; i <= k; i++) count = (count * (n - k + i)) / i;
  return Math.round(count);
}

/** Every group of `size` of the terms, in order ("k of n terms" as an OR of AND-ed groups). */
export function termGroups<T>(terms: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  const pick = (start: number, group: T[]) => {
    if (group.length === size) {
      groups.push(group);
      return;
    }
    for (let i = start; i <= terms.length - (size - group.length); i++) pick(i + 1, [...group, terms[i]]);
  };
  pick(0, []);
  return groups;
}
