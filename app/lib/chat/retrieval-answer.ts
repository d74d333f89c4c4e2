// The answer without a language model (none configured, or it failed, timed out or tripped a
// guardrail): a short natural reply built from the retrieved products only, so it is grounded by
// construction — the kind and how many, the constraint applied (or the one that had to be dropped,
// said plainly), then the best three with one thing that sets each apart. In the widget's
// languages (English, French); other locales get English (decision 126).
import { normalizePhrase, type BackfillFilter, type RelaxableFilter, type SearchFilters } from "../search/query-parser";
import type { ProductReference } from "./types";

const RELAXED_WORDS: Record<RelaxableFilter, string> = {
  options: "option",
  inStock: "stock",
  price: "price",
  vendors: "brand",
  productTypes: "product type",
};

/** For the model's prompt (English, like the rest of the prompt). */
export function describeRelaxed(relaxed: RelaxableFilter[]): string | undefined {
  if (!relaxed.length) return undefined;
  const words = relaxed.map((name) => RELAXED_WORDS[name]);
  return `Nothing matched every ${words.join(" and ")} condition, so these are the closest matches; say so.`;
}

/** For the model's prompt: which products were added to fill the list, and what they miss. */
export function describeClosest(closest: AnswerFacts["closest"], shown: number): string | undefined {
  if (!closest?.count || closest.count >= shown) return undefined;
  const words = closest.missing.map((name) => RELAXED_WORDS[name]);
  return `Only the first ${shown - closest.count} products meet every condition; the last ${closest.count} miss the ${words.join(" and ")} asked for: never say they meet it.`;
}

export interface AnswerFacts {
  products: ProductReference[];
  /** The kind asked for, as the shopper wrote it ("jackets"), when the shop carries it. */
  kind?: string | null;
  /** What the shopper asked for (before relaxation). */
  requested: SearchFilters;
  relaxed: RelaxableFilter[];
  /** "cheaper"/"pricier" than a shown product. */
  comparedTo?: { price: number; direction: "below" | "above" };
  /**
   * The last `count` products shown meet every condition but the ones named: the search added them
   * to fill a short list (closest first after every product that matches).
   */
  closest?: { count: number; missing: BackfillFilter[] };
  /** Nothing passed the relevance floor: what was asked for and the nearest kinds the shop has. */
  notCarried?: { asked: string; nearestKinds: string[] };
  currency?: string;
  locale?: string;
}

type Language = "en" | "fr";

interface Phrases {
  and: string;
  notCarried(asked: string): string;
  weHave(kinds: string): string;
  nothing: string;
  /** "5 jackets under $150" */
  found(count: number, what: string, constraint: string): string;
  products(count: number): string;
  kind(kind: string, count: number): string;
  /** "No jackets under $90; the cheapest is X at $91.50." */
  relaxedPrice(what: string, constraint: string, first: string, price: string, direction: "asc" | "desc"): string;
  relaxedOther(what: string, constraint: string): string;
  /** "3 more are close but not in size M." */
  closest(count: number, constraint: string): string;
  /** "3 more are close but of another kind." */
  closestOtherKind(count: number): string;
  cheapestFirst: string;
  dearestFirst: string;
  picks(items: string): string;
  under(price: string): string;
  over(price: string): string;
  between(low: string, high: string): string;
  cheaperThan(price: string): string;
  pricierThan(price: string): string;
  inStock: string;
  from(vendors: string): string;
  option(values: string): string;
  soldOut: string;
  onSale(was: string): string;
  lowest: string;
  highest: string;
  by(vendor: string): string;
  type(productType: string): string;
}

const EN: Phrases = {
  and: "and",
  notCarried: (asked) => `We don't seem to carry ${asked}.`,
  weHave: (kinds) => `We do have ${kinds}.`,
  nothing:
    "I couldn't find any products matching that. Try other words, a broader description or a different price range.",
  found: (count, what, constraint) => `${count === 1 ? "Here is" : "Here are"} ${count} ${what}${constraint}.`,
  products: (count) => (count === 1 ? "product" : "products"),
  kind: (kind, count) => (count === 1 ? singularEn(kind) : pluralEn(kind)),
  relaxedPrice: (what, constraint, first, price, direction) =>
    `No ${what}${constraint}; the ${direction === "asc" ? "cheapest" : "priciest"} is ${first} at ${price}.`,
  relaxedOther: (what, constraint) => `No ${what}${constraint}; these are the closest.`,
  closest: (count, constraint) => `${count === 1 ? "One more is" : `${count} more are`} close but not${constraint}.`,
  closestOtherKind: (count) => `${count === 1 ? "One more is" : `${count} more are`} close but of another kind.`,
  cheapestFirst: ", cheapest first",
  dearestFirst: ", priciest first",
  picks: (items) => `Top picks: ${items}.`,
  under: (price) => ` under ${price}`,
  over: (price) => ` over ${price}`,
  between: (low, high) => ` between ${low} and ${high}`,
  cheaperThan: (price) => ` cheaper than ${price}`,
  pricierThan: (price) => ` pricier than ${price}`,
  inStock: " in stock",
  from: (vendors) => ` from ${vendors}`,
  option: (values) => ` in ${values}`,
  soldOut: "sold out for now",
  onSale: (was) => `on sale, was ${was}`,
  lowest: "the lowest price",
  highest: "the highest price",
  by: (vendor) => `by ${vendor}`,
  type: (productType) => `one of our ${productType.toLowerCase()}`,
};

const FR: Phrases = {
  and: "et",
  notCarried: (asked) => `Nous ne semblons pas proposer de ${asked}.`,
  weHave: (kinds) => `Nous avons en revanche : ${kinds}.`,
  nothing:
    "Je n'ai trouvé aucun produit correspondant. Essayez d'autres mots, une description plus large ou une autre gamme de prix.",
  found: (count, what, constraint) => `Voici ${count} ${what}${constraint}.`,
  products: (count) => (count === 1 ? "produit" : "produits"),
  kind: (kind, count) => `${count === 1 ? "article" : "articles"} « ${kind} »`,
  relaxedPrice: (what, constraint, first, price, direction) =>
    `Aucun ${what}${constraint} ; le ${direction === "asc" ? "moins cher" : "plus cher"} est ${first} à ${price}.`,
  relaxedOther: (what, constraint) => `Aucun ${what}${constraint} ; voici les plus proches.`,
  closest: (count, constraint) =>
    `${count === 1 ? "Un autre est proche" : `${count} autres sont proches`}, mais pas${constraint}.`,
  closestOtherKind: (count) =>
    `${count === 1 ? "Un autre est proche" : `${count} autres sont proches`}, mais d'un autre type.`,
  cheapestFirst: ", du moins cher au plus cher",
  dearestFirst: ", du plus cher au moins cher",
  picks: (items) => `Notre sélection : ${items}.`,
  under: (price) => ` à moins de ${price}`,
  over: (price) => ` à plus de ${price}`,
  between: (low, high) => ` entre ${low} et ${high}`,
  cheaperThan: (price) => ` moins cher que ${price}`,
  pricierThan: (price) => ` plus cher que ${price}`,
  inStock: " en stock",
  from: (vendors) => ` de ${vendors}`,
  option: (values) => ` en ${values}`,
  soldOut: "épuisé pour le moment",
  onSale: (was) => `en promotion, au lieu de ${was}`,
  lowest: "le prix le plus bas",
  highest: "le prix le plus élevé",
  by: (vendor) => `de ${vendor}`,
  type: (productType) => `rayon ${productType}`,
};

const PHRASES: Record<Language, Phrases> = { en: EN, fr: FR };

/** The widget's language for a locale ("fr-CA" → fr); English for the rest. */
export function answerLanguage(locale: string | undefined): Language {
  const base = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return base === "fr" ? "fr" : "en";
}

function pluralEn(word: string): string {
  const words = word.split(" ");
  const last = words[words.length - 1];
  if (/s$/i.test(last)) return word;
  const plural = /[^aeiou]y$/i.test(last)
    ? `${last.slice(0, -1)}ies`
    : /(ch|sh|x|z)$/i.test(last)
      ? `${last}es`
      : `${last}s`;
  return [...words.slice(0, -1), plural].join(" ");
}

function singularEn(word: string): string {
  const words = word.split(" ");
  const last = words[words.length - 1];
  const single = /ies$/i.test(last)
    ? `${last.slice(0, -3)}y`
    : /(ches|shes|xes)$/i.test(last)
      ? last.slice(0, -2)
      : /[^s]s$/i.test(last)
        ? last.slice(0, -1)
        : last;
  return [...words.slice(0, -1), single].join(" ");
}

function money(value: string | number, currency: string | undefined, language: Language): string {
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  if (!currency) return amount.toFixed(2);
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

function list(items: string[], and: string): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`;
}

/** The constraints of `filters` as a phrase (" under $150 in size M from Fjordline"). */
function constraintPhrase(
  filters: SearchFilters,
  facts: AnswerFacts,
  p: Phrases,
  language: Language,
  only?: RelaxableFilter,
): string {
  const m = (value: number) => money(value, facts.currency, language);
  const parts: string[] = [];
  const wants = (name: RelaxableFilter) => only === undefined || only === name;
  if (wants("price")) {
    if (facts.comparedTo) {
      parts.push(
        facts.comparedTo.direction === "below"
          ? p.cheaperThan(m(facts.comparedTo.price))
          : p.pricierThan(m(facts.comparedTo.price)),
      );
    } else if (filters.minPrice !== undefined && filters.maxPrice !== undefined) {
      parts.push(p.between(m(filters.minPrice), m(filters.maxPrice)));
    } else if (filters.maxPrice !== undefined) parts.push(p.under(m(filters.maxPrice)));
    else if (filters.minPrice !== undefined) parts.push(p.over(m(filters.minPrice)));
  }
  if (wants("options") && filters.options?.length) {
    // A shop may spell one value several ways ("150x200cm", "150 × 200cm") and under several names
    // ("Size", "Size Specification"): name it once, under the first.
    const named = new Map<string, string>();
    for (const o of filters.options) {
      const value = normalizePhrase(o.value);
      if (!named.has(value)) named.set(value, `${o.name.toLowerCase()} ${o.value}`);
    }
    parts.push(p.option(list([...named.values()], p.and)));
  }
  if (wants("vendors") && filters.vendors?.length) parts.push(p.from(list(filters.vendors, p.and)));
  if (wants("inStock") && filters.inStock) parts.push(p.inStock);
  return parts.join("");
}

/**
 * One thing that sets each of the first products apart from the others named with it: sold out, on
 * sale, its type (when they differ), its price rank (when not already sorted by price), the matching
 * variant (when an option was asked for), else its brand.
 */
function differences(products: ProductReference[], p: Phrases, facts: AnswerFacts, language: Language): string[] {
  const prices = products.map((product) => Number(product.price));
  const types = products.map((product) => product.productType);
  const unique = <T>(values: T[], value: T) => values.filter((v) => v === value).length === 1;
  const byPrice = Boolean(facts.requested.sort);
  return products.map((product, i) => {
    if (!product.available) return p.soldOut;
    const was = Number(product.compareAtPrice);
    if (Number.isFinite(was) && was > Number(product.price)) return p.onSale(money(was, facts.currency, language));
    if (product.productType && new Set(types).size > 1 && unique(types, types[i])) return p.type(product.productType);
    if (!byPrice && products.length > 1 && unique(prices, prices[i])) {
      if (prices[i] === Math.min(...prices)) return p.lowest;
      if (prices[i] === Math.max(...prices)) return p.highest;
    }
    if (facts.requested.options?.length && product.variant && product.variant.title !== "Default Title") {
      return product.variant.title;
    }
    return p.by(product.vendor);
  });
}

/**
 * Which constraints had to be dropped, and how ("No jackets under $90.00; the cheapest is …"): the
 * engine's own words, also put before a model's answer so a relaxation is never left unsaid.
 */
export function relaxedSentences(facts: AnswerFacts): string[] {
  const language = answerLanguage(facts.locale);
  const p = PHRASES[language];
  const best = facts.products[0];
  if (!best || facts.notCarried) return [];
  const what = (n: number) => (facts.kind ? p.kind(facts.kind, n) : p.products(n));
  const sentences: string[] = [];
  // The type filter only ever comes from the kind: without a kind there is nothing to say about it.
  const relaxed = facts.relaxed.filter((name) => name !== "productTypes" || facts.kind);
  if (relaxed.includes("price") && (facts.requested.maxPrice !== undefined || facts.requested.minPrice !== undefined)) {
    const direction = facts.requested.maxPrice !== undefined ? "asc" : "desc";
    const constraint = constraintPhrase(facts.requested, facts, p, language, "price");
    sentences.push(
      p.relaxedPrice(what(2), constraint, best.title, money(best.price, facts.currency, language), direction),
    );
  }
  for (const name of relaxed) {
    if (name === "price") continue;
    sentences.push(p.relaxedOther(what(2), constraintPhrase(facts.requested, facts, p, language, name)));
  }
  return sentences;
}

/**
 * The products added to fill a short list, said as such ("2 more are close but not in size M"):
 * never counted as meeting what they miss, after how many do ("Here are 2 … in size M") unless a
 * dropped constraint was said first. Empty when every product shown meets every condition.
 */
export function closestSentences(facts: AnswerFacts): string[] {
  const language = answerLanguage(facts.locale);
  const p = PHRASES[language];
  const count = Math.min(facts.closest?.count ?? 0, facts.products.length);
  if (!count || count === facts.products.length || facts.notCarried) return [];
  const missing = facts.closest!.missing;
  const constraint = missing
    .filter((name) => name !== "productTypes")
    .map((name) => constraintPhrase(facts.requested, facts, p, language, name))
    .join("");
  const closest =
    missing.includes("productTypes") && facts.kind
      ? p.closestOtherKind(count)
      : constraint
        ? p.closest(count, constraint)
        : null;
  if (!closest) return [];
  const matching = relaxedSentences(facts).length ? [] : [foundSentence(facts, facts.products.length - count)];
  return [...matching, closest];
}

/** "Here are 5 jackets under $150, cheapest first." */
function foundSentence(facts: AnswerFacts, count: number): string {
  const language = answerLanguage(facts.locale);
  const p = PHRASES[language];
  const what = facts.kind ? p.kind(facts.kind, count) : p.products(count);
  const { sort } = facts.requested;
  const order = sort === "price_asc" ? p.cheapestFirst : sort === "price_desc" ? p.dearestFirst : "";
  return p.found(count, what, `${constraintPhrase(facts.requested, facts, p, language)}${order}`);
}

export function retrievalAnswer(facts: AnswerFacts): string {
  const language = answerLanguage(facts.locale);
  const p = PHRASES[language];
  if (facts.notCarried) {
    const kinds = facts.notCarried.nearestKinds.map((kind) => kind.toLowerCase());
    return [p.notCarried(facts.notCarried.asked), kinds.length ? p.weHave(list(kinds, p.and)) : ""]
      .filter(Boolean)
      .join(" ");
  }
  const { products } = facts;
  if (!products.length) return p.nothing;
  const best = products.slice(0, 3);
  const details = differences(best, p, facts, language);
  const picks = best.map((product, i) => {
    const price = money(product.price, facts.currency, language);
    return `${product.title} — ${price}, ${details[i]}`;
  });

  // A dropped constraint is said first, and how: nothing is padded in silence.
  // Only the products that meet every condition are counted as such.
  const sentences = [...relaxedSentences(facts), ...closestSentences(facts)];
  if (!sentences.length) sentences.push(foundSentence(facts, products.length));
  sentences.push(p.picks(picks.join("; ")));
  return sentences.join(" ");
}
