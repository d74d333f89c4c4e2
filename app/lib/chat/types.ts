// The answer engine's public shapes: what a caller (the chat route) sends in, and the typed
// events it streams out (see README.md for the protocol).
import type { ProductCard } from "../search/fusion";
import type { BackfillFilter, RelaxableFilter, SearchFilters } from "../search/query-parser";
import type { KnowledgeCandidate, SourceReference } from "./knowledge-answer";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
  /**
   * For assistant turns: the products that answer showed, in order, so "cheaper ones?" and "the
   * second one" work. Only `id` is needed (title and price are read from the catalog when absent).
   */
  products?: { id: string; price?: string | number; title?: string }[];
}

/**
 * Facts about a logged-in shopper, rendered into the prompt as data: flat values derived from the
 * customers module's CustomerContext (`customerFacts` in app/lib/storefront/chat-turn.server.ts). Keep it small.
 */
export type CustomerPromptFacts = Record<string, string | number | boolean | string[] | null | undefined>;

/** How the merchant wants the assistant to sound (assistant settings in the dashboard). */
export interface AnswerStyle {
  persona: string;
  tone: string;
  answerLength: "short" | "medium" | "detailed";
}

export interface AnswerRequest {
  shop: string;
  message: string;
  /** Earlier turns, oldest first (only the last few are used). */
  history?: ChatTurn[];
  customer?: CustomerPromptFacts | null;
  /** ISO 4217 code of the shop's currency, for prices in text ("USD"); plain numbers without it. */
  currency?: string;
  storeName?: string;
  locale?: string;
  style?: AnswerStyle;
  /** false: answer from retrieval alone even when a model is configured (the shop's token budget is spent). */
  useModel?: boolean;
  /** Reserved before the model call and settled after it, whatever happens in between. */
  spend?: TokenSpend;
  signal?: AbortSignal;
}

/** A product shown with the answer; `ref` is the number the answer cites as [ref]. */
export interface ProductReference extends ProductCard {
  ref: number;
  /**
   * Set on a close match the search added after every product that meets the request: the filter
   * it misses (the answer says "N more are close but not …"; the card says so too).
   */
  misses?: BackfillFilter;
}

export type AnswerSource = "llm" | "retrieval";
/**
 * `budget`: a token ceiling (the shop's day or minute, the app's day, the visitor's share) refused the call.
 * `store_knowledge`: the question is about the store; its policy, page or Q&A is quoted, never paraphrased.
 */
export type FallbackReason =
  "no_llm" | "llm_error" | "llm_timeout" | "guardrail" | "no_products" | "budget" | "store_knowledge";

/** The shop's store knowledge, searched beside its products (app/lib/knowledge, decision 125). */
export interface KnowledgeRetriever {
  search(shop: string, question: string, limit?: number): Promise<KnowledgeCandidate[]>;
}

/** Model tokens held for one call until it ends, then settled to what it really used. */
export interface TokenReservation {
  readonly tokens: number;
  /** Replaces the held amount by `usedTokens`; called once, on every way the call can end. */
  settle(usedTokens: number): Promise<void>;
}

/** How a turn pays for the model (the storefront's ceilings); absent = unmetered (playground, evaluation). */
export interface TokenSpend {
  /** Holds `tokens` against every ceiling; null when one would be passed (then the model is not called). */
  reserve(tokens: number): Promise<TokenReservation | null>;
}

/** The shop carries nothing like what was asked for: the word asked and the nearest kinds it does carry. */
export interface NotCarried {
  asked: string;
  nearestKinds: string[];
}

export type ChatEvent =
  /** First event of every answer: the products the answer may cite, numbered from 1. */
  | {
      type: "products";
      items: ProductReference[];
      /** What was searched, the conversation resolved ("waterproof jacket under $150 size M"). */
      query: string;
      /** Filters applied (after relaxation). */
      filters: SearchFilters;
      /** Filters dropped because nothing met them. */
      relaxed: RelaxableFilter[];
      /** The kind of product asked for (as written) and its product types; null when none was recognised. */
      kind: { asked: string; productTypes: string[] } | null;
      /** Filters before relaxation: what the shopper asked for. */
      requested: SearchFilters;
      /** "cheaper"/"pricier" follow-ups: the shown price compared with. */
      comparedTo?: { price: number; direction: "below" | "above" };
      /** With a model: the standalone query it proposed (as checked) and what the shop's vocabulary refused. */
      rewrite?: { query: string; dropped: string[] };
      /** Set when nothing passed the relevance floor (then `items` is empty). */
      none?: NotCarried;
    }
  /** Store knowledge the answer quotes (after "products", before any text), numbered from 1. */
  | { type: "sources"; items: SourceReference[] }
  /** Append `delta` to the answer text. */
  | { type: "text"; delta: string }
  /** Discard the text shown so far and show `text` instead (a guardrail tripped mid-stream or the model failed). */
  | { type: "replace"; text: string }
  | {
      type: "done";
      source: AnswerSource;
      /** Why the retrieval-only answer was used, when it was. */
      fallbackReason?: FallbackReason;
      /** Product refs the final text cites. */
      citations: number[];
      /** The full final answer text (what the widget should show and store). */
      text: string;
      usage?: { inputTokens: number; outputTokens: number };
    }
  /** The request itself was refused (nothing else follows). */
  | { type: "error"; code: "empty_message" | "message_too_long" | "search_failed"; message: string };
