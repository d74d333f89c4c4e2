// Query understanding without an LLM: prices ("under $50", "between 20 and 40", "cheapest"),
// stock ("in stock") and words from the catalog's own vocabulary (product types, vendors,
// option values such as colours and sizes) become filters; what remains is the text to search.
// Pure: the vocabulary is built from the indexed products.
import type { ProductMetadata } from "../catalog/product-document";

export interface OptionFilter {
  name: string;
  value: string;
}

export interface SearchFilters {
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  productTypes?: string[];
  vendors?: string[];
  /** Alternatives within a group (optionGroups), every group must hold. */
  options?: OptionFilter[];
  sort?: "price_asc" | "price_desc";
}

export interface ParsedQuery {
  original: string;
  /** The query without price and stock phrases: what lexical and vector retrieval see. */
  text: string;
  filters: SearchFilters;
}

export interface CatalogVocabulary {
  /** normalised phrase → original value */
  productTypes: Map<string, string>;
  vendors: Map<string, string>;
  /** normalised value → the option(s) carrying it, e.g. "blue" → [{name:"Color", value:"Blue"}] */
  optionValues: Map<string, OptionFilter[]>;
}

// "150 × 200 cm", "150x200cm" and "150X200CM" are one size however a shop or a shopper writes it:
// a dimension is folded to "150x200cm" and a unit joins its number ("500 ml" is "500ml"). MEASURE
// reads the folded phrase, where "lbs" has become "lb".
const UNITS = "cm|mm|ml|kg|g|lbs?|oz";
const DIMENSION_SEPARATOR = /(\d)\s*(?:cm|mm)?\s*[x×*]\s*(?=\d)/g;
const UNIT_AFTER_NUMBER = new RegExp(String.raw`(\d)\s+(${UNITS})\b`, "g");

/**
 * Lower case, accents and punctuation folded, dimensions and units written one way, simple
 * plural → singular per word.
 */
export function normalizePhrase(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(DIMENSION_SEPARATOR, "$1x")
    .replace(UNIT_AFTER_NUMBER, "$1$2")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .map(singular)
    .join(" ");
}

export function singular(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

const PREPOSITIONS = new Set(
  "in into inside on onto at for from with without to of under over near by about around through".split(" "),
);
const ARTICLES = new Set(["a", "an", "the", "my", "your", "our", "their", "his", "her", "this", "that"]);

const OPTION_NAMES_THAT_NEED_A_CUE = /^(size|length|width|waist|inseam|eu|us|uk)$/i;
/** A dimension or a measured quantity ("150x200cm", "500ml"): no other word reads as it, so it needs no cue. */
const MEASURE = new RegExp(String.raw`^\d+(?:x\d+)+|^\d+(?:${UNITS})\b`);

/** The (name, value) pairs of a delimited "|Size:M|Color:Blue|", split at the first colon, each once. */
export function optionPairs(optionValues: string): OptionFilter[] {
  const pairs = new Map<string, OptionFilter>();
  for (const pair of optionValues.split("|")) {
    const colon = pair.indexOf(":");
    if (colon > 0 && !pairs.has(pair)) pairs.set(pair, { name: pair.slice(0, colon), value: pair.slice(colon + 1) });
  }
  return [...pairs.values()];
}

/**
 * Option names of colours: a shade's last word names its colour ("Ember Red" is red), for a shop
 * with no plain value of that colour.
 */
const COLOUR_OPTION = /^colou?rs?$/i;

export function buildVocabulary(products: Iterable<Pick<ProductMetadata, "productType" | "vendor" | "optionValues">>) {
  const vocabulary: CatalogVocabulary = { productTypes: new Map(), vendors: new Map(), optionValues: new Map() };
  // How often each option name carries a value: the most common name comes first for a word.
  const nameCounts = new Map<string, number>();
  const shades: [string, OptionFilter][] = [];
  const add = (key: string, option: OptionFilter) => {
    const list = vocabulary.optionValues.get(key) ?? [];
    if (!list.some((o) => o.name === option.name && o.value === option.value)) list.push(option);
    vocabulary.optionValues.set(key, list);
  };
  for (const product of products) {
    if (product.productType) vocabulary.productTypes.set(normalizePhrase(product.productType), product.productType);
    if (product.vendor) vocabulary.vendors.set(normalizePhrase(product.vendor), product.vendor);
    for (const option of optionPairs(product.optionValues)) {
      const key = normalizePhrase(option.value);
      if (!key || option.value === "Default Title") continue;
      nameCounts.set(option.name, (nameCounts.get(option.name) ?? 0) + 1);
      add(key, option);
      const words = key.split(" ");
      const last = words[words.length - 1];
      if (
        COLOUR_OPTION.test(option.name) &&
        words.length > 1 &&
        /^[a-z]{3,}$/.test(last) &&
        !COLOUR_OPTION.test(last)
      ) {
        shades.push([last, option]);
      }
    }
  }
  const plain = new Set(vocabulary.optionValues.keys());
  for (const [colour, option] of shades) if (!plain.has(colour)) add(colour, option);
  for (const list of vocabulary.optionValues.values()) {
    list.sort((a, b) => (nameCounts.get(b.name) ?? 0) - (nameCounts.get(a.name) ?? 0));
  }
  return vocabulary;
}

const NUMBER = String.raw`(?:[$£€]\s*)?(\d+(?:[.,]\d{1,2})?)\s*(?:k\b)?(?:\s*(?:dollars?|usd|eur|euros?|gbp|pounds?|bucks))?`;
const PRICE_PATTERNS: { pattern: RegExp; apply: (filters: SearchFilters, a: number, b?: number) => void }[] = [
  {
    pattern: new RegExp(String.raw`\b(?:between|from)\s+${NUMBER}\s*(?:and|to|-|–)\s*${NUMBER}`, "gi"),
    apply: (f, a, b) => {
      f.minPrice = Math.min(a, b!);
      f.maxPrice = Math.max(a, b!);
    },
  },
  {
    pattern: new RegExp(String.raw`(?:[$£€]\s*)(\d+(?:[.,]\d{1,2})?)\s*(?:-|–|to)\s*${NUMBER}`, "gi"),
    apply: (f, a, b) => {
      f.minPrice = Math.min(a, b!);
      f.maxPrice = Math.max(a, b!);
    },
  },
  {
    pattern: new RegExp(
      String.raw`(?:\b(?:under|below|less\s+than|cheaper\s+than|at\s+most|max(?:imum)?|up\s+to|no\s+more\s+than|within)\s+|<\s*=?\s*)${NUMBER}`,
      "gi",
    ),
    apply: (f, a) => {
      f.maxPrice = a;
    },
  },
  {
    pattern: new RegExp(
      String.raw`(?:\b(?:over|above|more\s+than|at\s+least|min(?:imum)?|starting\s+at)\s+|>\s*=?\s*)${NUMBER}`,
      "gi",
    ),
    apply: (f, a) => {
      f.minPrice = a;
    },
  },
  {
    pattern: new RegExp(String.raw`\b(?:around|about|roughly|approximately|~)\s*${NUMBER}`, "gi"),
    apply: (f, a) => {
      f.minPrice = Math.floor(a * 0.8);
      f.maxPrice = Math.ceil(a * 1.2);
    },
  },
];

const CHEAP = /\b(cheapest|least\s+expensive|lowest\s+price[ds]?|cheap|inexpensive|budget|affordable)\b/gi;
const EXPENSIVE = /\b(most\s+expensive|priciest|highest\s+price[ds]?|premium|luxury|high[\s-]end)\b/gi;
const IN_STOCK = /\b(in[\s-]stock|available(?:\s+now)?|ready\s+to\s+ship|not\s+sold\s+out)\b/gi;

const toNumber = (value: string | undefined, whole: string) => {
  if (value === undefined) return undefined;
  const n = Number(value.replace(",", "."));
  return /\d\s*k\b/i.test(whole) ? n * 1000 : n;
};

/** Longest-first phrase matches of the vocabulary in the query's words (1–3 word phrases). */
function vocabularyMatches<T>(words: string[], table: Map<string, T>): { value: T; start: number; end: number }[] {
  const found: { value: T; start: number; end: number }[] = [];
  const used = new Set<number>();
  for (let size = 3; size >= 1; size--) {
    for (let start = 0; start + size <= words.length; start++) {
      const range = Array.from({ length: size }, (_, i) => start + i);
      if (range.some((i) => used.has(i))) continue;
      const value = table.get(words.slice(start, start + size).join(" "));
      if (value !== undefined) {
        found.push({ value, start, end: start + size });
        range.forEach((i) => used.add(i));
      }
    }
  }
  return found;
}

/**
 * The type a phrase names and its sub-types: the shop's types that end with the phrase ("Blanket" →
 * "Flannel Blanket", "Coral Fleece Blanket"), as a modified noun is a kind of that noun. A shop's
 * types are often finer than its shoppers' words (decision 130).
 */
export function withSubtypes(phrase: string, vocabulary: CatalogVocabulary): string[] {
  const types: string[] = [];
  for (const [normalised, type] of vocabulary.productTypes)
    if (normalised === phrase || normalised.endsWith(` ${phrase}`)) types.push(type);
  return types;
}

export function parseQuery(query: string, vocabulary?: CatalogVocabulary): ParsedQuery {
  const original = query.trim();
  const filters: SearchFilters = {};
  let text = ` ${original} `;
  for (const { pattern, apply } of PRICE_PATTERNS) {
    text = text.replace(pattern, (whole: string, ...rest: unknown[]) => {
      const [a, b] = rest.slice(0, -2) as (string | undefined)[];
      const first = toNumber(a, whole);
      if (first === undefined || !Number.isFinite(first)) return whole;
      apply(filters, first, toNumber(b, whole));
      return " ";
    });
  }
  if (CHEAP.test(text)) filters.sort = "price_asc";
  else if (EXPENSIVE.test(text)) filters.sort = "price_desc";
  text = text.replace(CHEAP, " ").replace(EXPENSIVE, " ");
  if (IN_STOCK.test(text)) filters.inStock = true;
  text = text.replace(IN_STOCK, " ");
  text = text.replace(/\s+/g, " ").trim();

  if (vocabulary) {
    const rawWords = normalizePhrase(text).split(" ").filter(Boolean);
    // A product type inside a prepositional phrase is context, not the thing wanted:
    // "light to read in the tent" is not a tent, "headlamp for a tent" is a headlamp.
    const typeMatches = vocabularyMatches(rawWords, vocabulary.productTypes);
    const types = typeMatches
      .filter(
        (m) =>
          !PREPOSITIONS.has(rawWords[m.start - 1] ?? "") &&
          !(ARTICLES.has(rawWords[m.start - 1] ?? "") && PREPOSITIONS.has(rawWords[m.start - 2] ?? "")),
      )
      .flatMap((m) => withSubtypes(rawWords.slice(m.start, m.end).join(" "), vocabulary));
    const vendors = vocabularyMatches(rawWords, vocabulary.vendors).map((m) => m.value);
    if (types.length) filters.productTypes = [...new Set(types)];
    if (vendors.length) filters.vendors = [...new Set(vendors)];
    const options: OptionFilter[] = [];
    for (const match of vocabularyMatches(rawWords, vocabulary.optionValues)) {
      // Words that name a product type are the thing, not an option: "eye mask" is no colour, "pillowcase"
      // no Style, even where the shop has such option values.
      if (typeMatches.some((t) => match.start < t.end && t.start < match.end)) continue;
      const cue = rawWords[match.start - 1];
      // Short or numeric values ("M", "42") only count after their option's name ("size M"); a
      // dimension or a measured quantity counts alone.
      const passing = match.value.filter((option) => {
        const phrase = normalizePhrase(option.value);
        const needsCue =
          !MEASURE.test(phrase) &&
          (phrase.length < 3 || /^\d/.test(phrase) || OPTION_NAMES_THAT_NEED_A_CUE.test(option.name));
        return !needsCue || cue === normalizePhrase(option.name);
      });
      // Every option the value is found under ("Size", "Size Specification" and "Dimensions" in one
      // messy catalog): alternatives of one another (optionGroups).
      for (const option of passing) {
        if (!options.some((o) => o.name === option.name && o.value === option.value)) options.push(option);
      }
    }
    if (options.length) filters.options = options;
  }
  return { original, text, filters };
}

/** Whether a product's metadata satisfies the filters (options: some variant has the value). */
export function matchesFilters(
  metadata: Pick<ProductMetadata, "minPrice" | "maxPrice" | "available" | "productType" | "vendor" | "optionValues">,
  filters: SearchFilters,
): boolean {
  if (filters.maxPrice !== undefined && metadata.minPrice > filters.maxPrice) return false;
  if (filters.minPrice !== undefined && metadata.maxPrice < filters.minPrice) return false;
  if (filters.inStock && !metadata.available) return false;
  if (filters.productTypes?.length && !filters.productTypes.includes(metadata.productType)) return false;
  if (filters.vendors?.length && !filters.vendors.includes(metadata.vendor)) return false;
  if (filters.options?.length) {
    // Whole pairs, as the catalog's option table holds them ("Size:M" never matches "Size:XL").
    const held = optionPairs(metadata.optionValues);
    for (const group of optionGroups(filters.options)) {
      if (!held.some((o) => group.some((option) => option.name === o.name && option.value === o.value))) return false;
    }
  }
  return true;
}

/**
 * Option filters as groups of alternatives, every group to hold: filters sharing an option name
 * ("blue or green") or a value (one word found under "Size" and "Size Specification", or "Color"
 * and "colour") are alternatives; the others ("red", "size L") must all hold.
 */
export function optionGroups(options: readonly OptionFilter[]): OptionFilter[][] {
  const parent = options.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstWith = new Map<string, number>();
  options.forEach((option, i) => {
    for (const key of [`name:${option.name}`, `value:${normalizePhrase(option.value)}`]) {
      const j = firstWith.get(key);
      if (j === undefined) firstWith.set(key, i);
      else parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, OptionFilter[]>();
  options.forEach((option, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), option]));
  return [...groups.values()];
}

/**
 * The filter names in the order they are dropped when they leave nothing to show: constraints
 * (price, option, stock) before the "what" (brand, product type), so "tent in stock" shows the
 * out-of-stock tent rather than something that is not a tent. Price goes first: a jacket in size M
 * at the nearest price fits; one under budget in another size does not (decision 131).
 */
export const RELAXATION_ORDER = ["price", "options", "inStock", "vendors", "productTypes"] as const;

/**
 * The filters a search drops, one at a time, to fill a short list with the closest products that
 * miss it, after every product that matches (words the catalog vocabulary turned into filters).
 */
export const BACKFILL_ORDER = ["options", "vendors", "productTypes"] as const;
export type BackfillFilter = (typeof BACKFILL_ORDER)[number];
export type RelaxableFilter = (typeof RELAXATION_ORDER)[number];

export function withoutFilter(filters: SearchFilters, name: RelaxableFilter): SearchFilters {
  const next = { ...filters };
  if (name === "price") {
    delete next.minPrice;
    delete next.maxPrice;
  } else delete next[name];
  return next;
}

export function hasFilter(filters: SearchFilters, name: RelaxableFilter): boolean {
  if (name === "price") return filters.minPrice !== undefined || filters.maxPrice !== undefined;
  const value = filters[name];
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}
