// How a search text becomes query terms, shared by every lexical engine: lower case, accents
// folded, stop words dropped. Pure. The SQL catalog builds FTS5 / tsquery strings from these terms,
// so a term never holds anything but letters and digits (no quotes, operators or column syntax).

export const STOP_WORDS: ReadonlySet<string> = new Set(
  "a an and are as at be by for from has have i in is it its me my of on or our that the this to was we with you your do does any some want need looking show find".split(
    " ",
  ),
);

/** Terms this long or longer also match as prefixes ("waterp" → "waterproof"). */
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
 */
export function searchTerms(text: string): SearchTerm[] {
  const terms = new Map<string, SearchTerm>();
  for (const word of foldTerm(text).split(/[^\p{L}\p{N}]+/u)) {
    if (!word || STOP_WORDS.has(word) || terms.has(word)) continue;
    terms.set(word, { term: word, prefix: word.length >= PREFIX_MIN_LENGTH });
  }
  return [...terms.values()];
}
