// How store knowledge shapes an answer (decision 125), pure: which passages cover the question,
// whether products belong beside them ("can I return the tent if I used it once?"), and the
// templated text that quotes a passage word for word with its storefront link. Policies are quoted,
// never paraphrased, so an answer cannot invent one; when none covers a policy-like question the
// answer says so.
import { contentStems, stem } from "../knowledge/knowledge-ranking";
import type { KnowledgeKind } from "../knowledge/passages";
import type { ProductReference } from "./types";

/** What the answer engine needs of a retrieved passage (knowledge-store.server.ts's KnowledgeHit). */
export interface KnowledgeCandidate {
  passage: { kind: KnowledgeKind; sourceTitle: string; url: string | null; heading: string | null; text: string };
  covers: boolean;
  /** The question's content words the passage does not contain. */
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
    "return refund exchange warranty guarantee policy policies privacy terms shipping ship deliver delivery",
    "postage courier tracking track dispatch international customs duty duties tax pickup collect",
    "payment pay paypal klarna afterpay installment financing discount coupon promo voucher gift wrap",
    "price match student military loyalty reward points cancel cancellation order contact phone email",
    "hours open opening location address rent rental repair repairs sizing size fit recycle trade",
  ]
    .join(" ")
    .split(" ")
    .map(stem),
);

const MAX_QUOTED = 2;

export interface KnowledgePlan {
  /** Passages to quote (empty: knowledge does not shape this answer). */
  sources: SourceReference[];
  /** The products to show with it, renumbered from 1 (all of them when knowledge plays no part). */
  products: ProductReference[];
  /** true: a store question nothing in the store's knowledge covers. */
  uncovered: boolean;
}

const productStems = (product: ProductReference) => contentStems(`${product.title} ${product.productType}`);
const namesProduct = (product: ProductReference, stems: string[]) =>
  productStems(product).some((word) => stems.some((s) => word === s || (s.length >= 4 && word.startsWith(s))));

export function planKnowledgeAnswer(
  question: string,
  candidates: KnowledgeCandidate[],
  products: ProductReference[],
): KnowledgePlan {
  const covering = candidates.filter((candidate) => candidate.covers);
  const questionStems = contentStems(question);
  if (!covering.length) {
    const storeQuestion = questionStems.some((s) => STORE_TOPICS.has(s));
    const named = products.some((product) => namesProduct(product, questionStems));
    // A store question about no product: cards would only distract from the honest "not covered".
    return storeQuestion && !named ? { sources: [], products: [], uncovered: true } : { sources: [], products, uncovered: false };
  }
  // Products only for what the best passage leaves unexplained, and only those the question names.
  const rest = covering[0].missing;
  const shown = rest.length ? products.filter((product) => namesProduct(product, rest)) : [];
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
  return { sources, products: shown.map((product, i) => ({ ...product, ref: i + 1 })), uncovered: false };
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
