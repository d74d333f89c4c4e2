// What kind of product a shopper asks for ("a waterproof jacket for hiking" → jackets), found in the
// shop's own vocabulary: its product types and the head nouns of its titles (the last word: "Storm
// Shell", "Waterproof Hiker"), singular and plural alike, plus a few common synonyms. Words after a
// preposition are context or a use ("for hiking", "for my tent"), not the kind. Pure: the vocabulary
// is built from (product type, title) pairs the catalog store lists (decision 126).
import { normalizePhrase } from "./query-parser";

export interface KindSourceRow {
  productType: string;
  title: string;
}

export interface KindVocabulary {
  /** Normalised term (singular; one or two words) → the product types it names, most common first. */
  terms: Map<string, string[]>;
  /** Every product type, most products first: what "the nearest kinds we carry" is chosen from. */
  productTypes: string[];
  /** Every word of the shop's titles and types (normalised): a noun outside it names nothing the shop sells. */
  words: Set<string>;
}

export interface ProductKind {
  /** The words as the shopper wrote them ("jackets"). */
  asked: string;
  /** The product types of that kind, most common first. */
  productTypes: string[];
}

/**
 * Words that name the same kind of product. Only groups whose members the shop itself uses count:
 * "jacket" reaches the anoraks and parkas of a shop that has them, and nothing in one that has none.
 */
const SYNONYMS: string[][] = [
  ["jacket", "anorak", "parka", "shell", "coat", "raincoat", "windbreaker", "puffer"],
  ["backpack", "pack", "daypack", "rucksack", "knapsack"],
  ["boot", "hiker"],
  ["shoe", "sneaker", "trainer", "runner", "racer"],
  ["tent", "shelter"],
  ["lamp", "light", "lantern", "headlamp", "torch", "flashlight"],
  ["sweater", "jumper", "pullover"],
  ["trouser", "pant"],
  ["sofa", "couch"],
  ["rug", "carpet"],
  ["tee", "t shirt", "tshirt"],
];

/** A title noun spread over more product types than this is a generic word ("set", "black"), not a kind. */
const MAX_TYPES_PER_TITLE_NOUN = 4;
/** Types holding under this share of a title noun's products are strays, not its kind. */
const MIN_TYPE_SHARE = 0.1;
/** Terms kept per shop (most common first): the vocabulary stays small whatever the catalog size. */
const MAX_TERMS = 3000;

const PREPOSITIONS = new Set(
  "for with without to of from in into inside on onto at by about near under over around through like".split(" "),
);

/** Words that are never the thing asked for ("do you sell …", "show me some …"). */
const NOT_A_KIND = new Set(
  (
    "a an the some any anything something one ones it that this these those them what which who where " +
    "do does did you your we our us i me my have has got get sell carry stock offer show find see want need " +
    "looking look search searching buy is are was be there please thanks thank hi hello hey can could would " +
    "will shall may might should tell know more other another good best nice great new cheap cheaper not no " +
    "yes and or but also just only really very much many lot kind type sort size colour color im"
  ).split(" "),
);

/** Fillers that stand for the thing asked for: "something for my tent" asks for something, not a tent. */
const PLACEHOLDERS = new Set(["something", "anything", "stuff", "gear", "item", "product", "one", "ones"]);

const TITLE_NOISE = /<[^>]*>|\([^)]*\)|\[[^\]]*\]/g;

/** The head noun of a title: its last word, before any " - detail" or "| detail" tail. */
export function titleHeadNoun(title: string): string | null {
  const head = title.replace(TITLE_NOISE, " ").split(/\s[-–—|:]\s|,/)[0];
  const words = normalizePhrase(head).split(" ").filter(Boolean);
  const last = words[words.length - 1];
  return last && /^[a-z]{3,}$/.test(last) ? last : null;
}

export function buildKindVocabulary(rows: Iterable<KindSourceRow>): KindVocabulary {
  const typeCounts = new Map<string, number>();
  const typeTerms = new Map<string, Map<string, number>>();
  const titleNouns = new Map<string, Map<string, number>>();
  const words = new Set<string>();
  const add = (table: Map<string, Map<string, number>>, term: string, productType: string) => {
    const counts = table.get(term) ?? new Map<string, number>();
    counts.set(productType, (counts.get(productType) ?? 0) + 1);
    table.set(term, counts);
  };
  for (const { productType, title } of rows) {
    for (const word of normalizePhrase(`${title} ${productType}`).split(" ")) if (word) words.add(word);
    if (!productType.trim()) continue;
    typeCounts.set(productType, (typeCounts.get(productType) ?? 0) + 1);
    // "Headlamps & Lights": the whole phrase and each part, and each part's head noun.
    const parts = productType
      .split(/&|\band\b|,|\//i)
      .map(normalizePhrase)
      .filter(Boolean);
    for (const phrase of [normalizePhrase(productType), ...parts]) {
      add(typeTerms, phrase, productType);
      const words = phrase.split(" ");
      add(typeTerms, words[words.length - 1], productType);
    }
    const noun = titleHeadNoun(title);
    if (noun) add(titleNouns, noun, productType);
  }

  const byCount = (counts: Map<string, number>) => [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const weighted = new Map<string, { types: Map<string, number>; total: number }>();
  const merge = (term: string, counts: Map<string, number>) => {
    const entry = weighted.get(term) ?? { types: new Map<string, number>(), total: 0 };
    for (const [type, n] of counts) {
      entry.types.set(type, (entry.types.get(type) ?? 0) + n);
      entry.total += n;
    }
    weighted.set(term, entry);
  };
  for (const [term, counts] of typeTerms) merge(term, counts);
  for (const [noun, counts] of titleNouns) {
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    const kept = new Map(byCount(counts).filter(([, n]) => n / total >= MIN_TYPE_SHARE));
    if (kept.size > MAX_TYPES_PER_TITLE_NOUN) continue;
    merge(noun, kept);
  }
  // Synonyms: each member reaches the types of every member the shop uses.
  for (const group of SYNONYMS) {
    const known = group.filter((word) => weighted.has(word));
    if (!known.length) continue;
    const union = new Map<string, number>();
    for (const word of known) {
      for (const [type, n] of weighted.get(word)!.types) union.set(type, (union.get(type) ?? 0) + n);
    }
    for (const word of group) {
      const entry = weighted.get(word);
      // A word the shop uses keeps its own types first; the group's follow.
      const merged = new Map(entry?.types ?? []);
      for (const [type, n] of union) if (!merged.has(type)) merged.set(type, n / 1000);
      weighted.set(word, { types: merged, total: entry?.total ?? 0 });
    }
  }

  const terms = new Map<string, string[]>();
  const ranked = [...weighted.entries()].sort((a, b) => b[1].total - a[1].total).slice(0, MAX_TERMS);
  for (const [term, entry] of ranked)
    terms.set(
      term,
      byCount(entry.types).map(([type]) => type),
    );
  return { terms, productTypes: byCount(typeCounts).map(([type]) => type), words };
}

interface NounPhrase {
  /** Normalised words of the part before the first preposition. */
  words: string[];
  /** The same words as written (for "We don't seem to carry kayaks"). */
  written: string[];
}

/** The words before the first preposition: where the thing asked for is ("… for hiking" is a use). */
function nounPhrase(text: string): NounPhrase {
  const written = text
    .replace(/[^\p{L}\p{N}\s'-]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  // "I'm" is one word ("im"), not two.
  const words = written.map((word) => normalizePhrase(word.replace(/['’]/g, "")));
  let end = words.length;
  for (let i = 0; i < words.length; i++) {
    // A leading preposition ("for my tent?") is not a cut: nothing was named before it.
    const named = words.slice(0, i).some((word) => (word && !NOT_A_KIND.has(word)) || PLACEHOLDERS.has(word));
    if (named && PREPOSITIONS.has(words[i])) {
      end = i;
      break;
    }
  }
  return { words: words.slice(0, end), written: written.slice(0, end) };
}

/**
 * The kind the text asks for: the rightmost term of the shop's vocabulary before any preposition
 * (two-word terms first: "sleeping bag" before "bag"), or null.
 */
export function detectKind(text: string, vocabulary: KindVocabulary): ProductKind | null {
  const { words, written } = nounPhrase(text);
  for (let end = words.length; end > 0; end--) {
    for (const size of [2, 1]) {
      const start = end - size;
      if (start < 0) continue;
      const term = words.slice(start, end).join(" ");
      if (size === 1 && NOT_A_KIND.has(term)) continue;
      const productTypes = vocabulary.terms.get(term);
      if (productTypes?.length) return { asked: written.slice(start, end).join(" "), productTypes };
    }
  }
  return null;
}

/**
 * The thing asked for when it is not in the shop's vocabulary: the rightmost word before any
 * preposition that is not a filler ("do you sell kayaks?" → "kayaks"), as written; null when there is none.
 */
export function askedNoun(text: string): string | null {
  const { words, written } = nounPhrase(text);
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i] && /^[a-z]{3,}$/.test(words[i]) && !NOT_A_KIND.has(words[i])) return written[i].toLowerCase();
  }
  return null;
}
