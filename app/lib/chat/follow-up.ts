// Conversation state without an LLM, rebuilt from the turns on every message: each user turn either
// starts a topic (what it asks for) or refines the current one, whose text and filters carry over.
// "cheaper ones?" keeps the topic and looks below the first product shown, by price; "in size M",
// "from Fjordline", "in stock only" add to it; "the second one" is a product shown; a message that
// names another kind of product starts a new topic (decision 126).
import { normalizePhrase, type CatalogVocabulary, type OptionFilter, type SearchFilters } from "../search/query-parser";
import type { ChatTurn } from "./types";

/** A product an earlier answer showed, as the conversation knows it. */
export interface ShownProduct {
  id: string;
  title?: string;
  price?: number;
}

export interface ResolvedQuery {
  query: string;
  filters: SearchFilters;
  isFollowUp: boolean;
  /** A shown product the message points at ("the second one", "is it in stock?"). */
  referent?: ShownProduct;
  /** "pronoun": a bare "it", the topic's constraints still hold; "ordinal": the question is about that product. */
  referentBy?: "ordinal" | "pronoun";
  /** A follow-up's own words, without fillers and price comparisons ("size M", "long"). */
  refinement?: string;
  /** "cheaper"/"pricier": the price the results are compared with, and which way. */
  comparedTo?: { price: number; direction: "below" | "above" };
}

/** Option values a refinement names without its option's name ("a long one", "in wide"). */
export type OptionsOf = (refinement: string) => OptionFilter[];

/** The kind of product a text names, as a comparable key (its product types), or null. */
export type KindKeyOf = (text: string) => Promise<string | null>;

const CHEAPER = /\b(cheaper|less\s+expensive|lower\s+price[ds]?|more\s+affordable|budget\s+options?)\b/i;
const PRICIER = /\b(more\s+expensive|pricier|higher\s+end|better\s+quality|premium\s+options?)\b/i;
const REFERS_BACK =
  /^(and|or|what about|how about|any|anything|something|in|with|without|only|but|same|similar|other|another|more|those|these|them|it|ones?|from|size|colou?r|width|length|under|below|over|above|between|around|less than|more than)\b|\b(ones?|those|these|them|it|that one|instead|also|too|else|other colou?rs?|other sizes?)\b/i;
/** Pronouns that point back even in a longer question ("do you have it in size M?"). */
const POINTS_BACK = /\b(it|that one|this one|those|these|them|the (first|second|third|fourth|fifth|last) one)\b/i;

const ORDINALS: [RegExp, (count: number) => number][] = [
  [/\b(the\s+)?(first|1st)\s+(one|product|item)\b|\b(that|this)\s+one\b/i, () => 0],
  [/\b(the\s+)?(second|2nd)\s*(one|product|item)?\b/i, () => 1],
  [/\b(the\s+)?(third|3rd)\s*(one|product|item)?\b/i, () => 2],
  [/\b(the\s+)?(fourth|4th)\s*(one|product|item)?\b/i, () => 3],
  [/\b(the\s+)?(fifth|5th)\s*(one|product|item)?\b/i, () => 4],
  [/\b(the\s+)?last\s+(one|product|item)\b/i, (count) => count - 1],
];

/** A bare "it": the product the answer put first, while the topic's constraints still hold. */
const IT = /\b(it|this|that)\b(?!\s+(one|product|item)\b)/i;

const FILLERS =
  /\b(what about|how about|do you have|have you got|do you sell|is there|are there|show me|any|anything|something|ones?|those|these|them|it|that one|this one|instead|also|too|else|please|same|similar|only)\b/gi;

function stripFillers(text: string) {
  return text
    .replace(FILLERS, " ")
    .replace(/[?!.]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function wordCount(text: string) {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** Whether a message refines the conversation rather than asking something new on its own. */
export function refinesTopic(message: string): boolean {
  const text = message.trim().replace(/[?!.]+$/, "");
  return (
    CHEAPER.test(text) ||
    PRICIER.test(text) ||
    wordCount(text) <= 2 ||
    (wordCount(text) <= 6 && REFERS_BACK.test(text)) ||
    (wordCount(text) <= 10 && POINTS_BACK.test(text))
  );
}

/** The shown product an ordinal or "that one" names, and the text without those words. */
function pointedAt(text: string, shown: ShownProduct[]): { product?: ShownProduct; rest: string } {
  for (const [pattern, index] of ORDINALS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const product = shown[index(shown.length)];
    if (product) return { product, rest: text.replace(pattern, " ") };
  }
  return { rest: text };
}

interface Topic {
  query: string;
  filters: SearchFilters;
  kind: string | null;
  comparedTo?: ResolvedQuery["comparedTo"];
}

function price(product: ShownProduct | undefined): number | undefined {
  return product?.price !== undefined && Number.isFinite(product.price) ? product.price : undefined;
}

/** Words that are never an option value on their own, whatever a catalog calls its options. */
const NOT_A_VALUE = new Set(
  "a an the one ones it in on of for and or with any some in stock only size color colour please".split(" "),
);

/**
 * Option values of the shop a refinement names by value alone ("a long one" → Length: Long, "in
 * wide" → Width: Wide): in a follow-up the topic says what is refined, so the value needs no
 * "length"/"width" before it. Values under three characters ("M", "L") still need their option's
 * name, which the query parser reads.
 */
export function refinementOptions(
  refinement: string,
  vocabulary: Pick<CatalogVocabulary, "optionValues">,
): OptionFilter[] {
  const words = normalizePhrase(refinement).split(" ").filter(Boolean);
  const found: OptionFilter[] = [];
  const used = new Set<number>();
  for (let size = 3; size >= 1; size--) {
    for (let start = 0; start + size <= words.length; start++) {
      if (Array.from({ length: size }, (_, i) => start + i).some((i) => used.has(i))) continue;
      const phrase = words.slice(start, start + size).join(" ");
      if (phrase.length < 3 || NOT_A_VALUE.has(phrase)) continue;
      const options = vocabulary.optionValues.get(phrase);
      if (!options?.length) continue;
      for (let i = start; i < start + size; i++) used.add(i);
      // Every option the value is found under: alternatives of one another (optionGroups).
      for (const option of options) {
        if (!found.some((o) => o.name === option.name && o.value === option.value)) found.push(option);
      }
    }
  }
  return found;
}

async function step(
  topic: Topic | null,
  message: string,
  shown: ShownProduct[],
  kindOf: KindKeyOf,
  optionsOf?: OptionsOf,
): Promise<{ topic: Topic; resolved: ResolvedQuery }> {
  const kind = await kindOf(message);
  // Another kind of product than the topic's is a new topic, however short the message.
  const newKind = kind !== null && kind !== topic?.kind;
  if (!topic || !refinesTopic(message) || newKind) {
    return {
      topic: { query: message.trim(), filters: {}, kind },
      resolved: { query: message.trim(), filters: {}, isFollowUp: false },
    };
  }
  const pointed = pointedAt(message, shown);
  const { rest } = pointed;
  // "is it in stock?": the first product shown, with the topic's constraints kept.
  const pronoun = !pointed.product && IT.test(message) && shown.length > 0;
  const referent = pointed.product ?? (pronoun ? shown[0] : undefined);
  const filters: SearchFilters = { ...topic.filters };
  let comparedTo = topic.comparedTo;
  // Cheaper or pricier than the product pointed at, else the top recommendation (the first shown).
  const base = price(referent) ?? price(shown[0]);
  if (CHEAPER.test(message)) {
    if (base !== undefined) {
      filters.maxPrice = Math.max(0, Math.round((base - 0.01) * 100) / 100);
      comparedTo = { price: base, direction: "below" };
    }
    filters.sort = "price_asc";
  } else if (PRICIER.test(message)) {
    if (base !== undefined) {
      filters.minPrice = Math.round((base + 0.01) * 100) / 100;
      delete filters.maxPrice;
      comparedTo = { price: base, direction: "above" };
    }
    filters.sort = "price_desc";
  }
  const refinement = stripFillers(
    rest
      .replace(CHEAPER, " ")
      .replace(PRICIER, " ")
      .replace(/\bthan\b/gi, " "),
  );
  const named = optionsOf?.(refinement) ?? [];
  if (named.length) {
    // A refinement's value replaces the topic's value of the same option ("in red" after "in blue").
    const names = new Set(named.map((o) => o.name));
    filters.options = [...(filters.options ?? []).filter((o) => !names.has(o.name)), ...named];
  }
  // A product pointed at without a price comparison: the question is about that product.
  const aboutReferent = pointed.product !== undefined && !CHEAPER.test(message) && !PRICIER.test(message);
  const about = aboutReferent ? (pointed.product?.title ?? topic.query) : topic.query;
  const query = `${about} ${refinement}`.replace(/\s+/g, " ").trim();
  const next: Topic = aboutReferent
    ? { query: about, filters: {}, kind: topic.kind ?? kind }
    : { query, filters, kind: topic.kind ?? kind, comparedTo };
  return {
    topic: next,
    resolved: {
      query,
      filters: aboutReferent ? {} : filters,
      isFollowUp: true,
      referent,
      ...(referent ? { referentBy: pointed.product ? ("ordinal" as const) : ("pronoun" as const) } : {}),
      ...(refinement ? { refinement } : {}),
      ...(aboutReferent ? {} : { comparedTo }),
    },
  };
}

/** Whether a shown product breaks the topic's price bound (the answer relaxed it). */
function outside(product: ShownProduct, topic: Topic): boolean {
  const value = price(product);
  if (value === undefined) return false;
  const { maxPrice, minPrice } = topic.filters;
  return (maxPrice !== undefined && value > maxPrice) || (minPrice !== undefined && value < minPrice);
}

/**
 * The topic after an answer: when that answer had to drop the price bound (nothing was cheaper, so
 * it showed the nearest), later refinements must not inherit the bound.
 */
function keptBound(topic: Topic | null, shown: ShownProduct[]): Topic | null {
  if (!topic?.comparedTo || !shown.some((product) => outside(product, topic))) return topic;
  const { minPrice: _min, maxPrice: _max, ...rest } = topic.filters;
  return { ...topic, filters: rest, comparedTo: undefined };
}

/** The products an assistant turn showed, in order. */
function shownIn(turn: ChatTurn): ShownProduct[] {
  return (turn.products ?? []).map((p) => ({
    id: p.id,
    title: p.title,
    price: p.price === undefined || p.price === null || p.price === "" ? undefined : Number(p.price),
  }));
}

/**
 * What to search for `message` given the earlier turns (oldest first): the topic is rebuilt turn by
 * turn, so "cheaper ones?" after "in size M?" keeps the size, the kind and the price bound.
 */
export async function resolveConversation(
  message: string,
  history: ChatTurn[],
  kindOf: KindKeyOf,
  optionsOf?: OptionsOf,
): Promise<ResolvedQuery> {
  let topic: Topic | null = null;
  let shown: ShownProduct[] = [];
  for (const turn of history) {
    if (turn.role === "assistant") {
      if (turn.products?.length) shown = shownIn(turn);
      topic = keptBound(topic, shown);
      continue;
    }
    topic = (await step(topic, turn.content, shown, kindOf, optionsOf)).topic;
  }
  return (await step(topic, message, shown, kindOf, optionsOf)).resolved;
}
