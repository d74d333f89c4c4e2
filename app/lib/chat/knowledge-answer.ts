// How store knowledge shapes an answer (decision 125), pure: which passages cover the question,
// whether products belong beside them ("can I return the tent if I used it once?"), and the
// templated text that quotes a passage word for word with its storefront link. Policies are quoted,
// never paraphrased, so an answer cannot invent one; when none covers a policy-like question the
// answer says so.
import { contentStems, coverageOf, covers, stem, stemMatches } from "../knowledge/knowledge-ranking";
import type { KnowledgeKind } from "../knowledge/passages";
import type { ProductReference } from "./types";

/** What the answer engine needs of a retrieved passage (knowledge-store.server.ts's KnowledgeHit). */
export interface KnowledgeCandidate {
  passage: { kind: KnowledgeKind; sourceTitle: string; url: string | null; heading: string | null; text: string };
  /** Fused rank score (higher is better). */
  score: number;
  cosine: number;
  /** The question's content words (stems) the passage does not contain. */
  missing: string[];
}

/** A passage an answer quotes, as the widget shows it: numbered, titled, linked. */
export interface SourceReference {
  ref: number;
  kind: KnowledgeKind;
  title: string;
  /** Storefront path (/policies/refund-policy, /pages/size-guide); null for a Q&A entry. */
  url: string | null;
  /** The passage, verbatim. */
  quote: string;
}

/**
 * Words that make a question about the store rather than its products. With one of them and no
 * covering passage (and no product the question names) the answer says the store has not said.
 */
const STORE_TOPICS = new Set(
  [
    "return returns refund exchange warranty guarantee policy policies privacy terms shipping ship deliver delivery",
    "postage courier tracking dispatch international customs duties tax pickup payment paypal klarna afterpay",
    "installment financing discount coupon promo voucher wrap wrapping student military loyalty reward cancel",
    "cancellation contact phone email hours rent rental repair",
  ]
    .join(" ")
    .split(" ")
    .map(stem),
);

const MAX_QUOTED = 2;

/**
 * A message put as a question ("…?", "how do I…", "can I…"). A request for products ("a waterproof
 * jacket under $150 for hiking") is not one: its words are a product search's, even where a page
 * shares one ("long hikes" in the size guide).
 */
const ASKS =
  /\?\s*$|^\s*(what|how|can|could|do|does|did|is|are|was|will|would|where|when|why|which|who|may|should|have|has)\b/i;

export interface KnowledgePlan {
  /** Passages to quote (empty: knowledge does not shape this answer). */
  sources: SourceReference[];
  /** The products to show with it, renumbered from 1 (all of them when knowledge plays no part). */
  products: ProductReference[];
  /** true: a store question nothing in the store's knowledge covers. */
  uncovered: boolean;
}

const stemsOfProduct = (product: ProductReference) => contentStems(`${product.title} ${product.productType}`);
const namesProduct = (product: ProductReference, words: string[]) =>
  stemsOfProduct(product).some((word) => words.some((s) => stemMatches(s, word)));

/**
 * `notCarried`: what the product search found the shop does not carry ("kayaks" for "do you sell
 * kayaks?"). Unless the question is on a store topic (returns, rental, shipping…), a passage must
 * then hold those words to answer: one sharing only a plain verb ("we never sell your personal
 * information") must not stand in for "we don't seem to carry kayaks".
 */
export function planKnowledgeAnswer(
  question: string,
  candidates: KnowledgeCandidate[],
  products: ProductReference[],
  notCarried?: string,
): KnowledgePlan {
  const questionStems = contentStems(question);
  // Words naming a product the search found ("tent") are the products' part of the question; the
  // rest ("return", "used") is what a policy, page or Q&A entry must cover.
  const productWords = questionStems.filter((s) =>
    products.some((p) => stemsOfProduct(p).some((w) => stemMatches(s, w))),
  );
  const storeWords = questionStems.filter((s) => !productWords.includes(s));
  const storeQuestion = storeWords.some((s) => STORE_TOPICS.has(s));
  if (!storeQuestion && !ASKS.test(question)) return { sources: [], products, uncovered: false };
  const required = notCarried && !storeQuestion ? contentStems(notCarried) : [];
  const named = productWords.length ? products.filter((product) => namesProduct(product, productWords)) : [];
  const covering = candidates
    .map((candidate) => ({ candidate, coverage: coverageOf(storeWords, candidate.missing) }))
    .filter(({ candidate, coverage }) => covers(coverage, candidate.cosine))
    .filter(({ candidate }) => !required.some((s) => candidate.missing.includes(s)))
    .sort((a, b) => b.coverage - a.coverage || b.candidate.score - a.candidate.score)
    // A second passage only when it answers as fully as the first (both halves of one rule).
    .filter(({ coverage }, _, all) => coverage === all[0].coverage)
    .map(({ candidate }) => candidate);
  if (!covering.length) {
    // A store question about no product: cards would only distract from the honest "not covered".
    return storeQuestion && !named.length
      ? { sources: [], products: [], uncovered: true }
      : { sources: [], products, uncovered: false };
  }
  const seen = new Set<string>();
  const sources: SourceReference[] = [];
  for (const { passage } of covering) {
    if (seen.has(passage.text) || sources.length >= MAX_QUOTED) continue;
    seen.add(passage.text);
    sources.push({
      ref: sources.length + 1,
      kind: passage.kind,
      title: passage.kind === "qa" ? (passage.heading ?? passage.sourceTitle) : passage.sourceTitle,
      url: passage.url,
      quote: passage.text,
    });
  }
  return { sources, products: named.map((product, i) => ({ ...product, ref: i + 1 })), uncovered: false };
}

function quoteLine(source: SourceReference): string {
  if (source.kind === "qa") return `About "${source.title}", the store says: "${source.quote}"`;
  const link = source.url ? ` (${source.url})` : "";
  return `Our ${source.title}${link} says: "${source.quote}"`;
}

/** The honest answer when no policy, page or Q&A entry covers a store question. */
export const UNCOVERED_TEXT =
  "I couldn't find anything about that in this store's policies, pages or answers, so I can't tell you for sure.";

/** The text of a knowledge answer: each quoted passage with its link, then any products. */
export function knowledgeAnswerText(plan: KnowledgePlan, productText: string | null): string {
  const lines = plan.sources.length ? plan.sources.map(quoteLine) : plan.uncovered ? [UNCOVERED_TEXT] : [];
  if (productText) lines.push(productText);
  return lines.join("\n");
}
