// The search playground: one shopper question through the same search and answer engine the widget
// uses. Shows how the question was understood (filters, relaxations), the hybrid ranking with each
// product's place in the lexical (BM25) and vector lists and their RRF contributions, and the answer.
import { z } from "zod";
import type { SourceReference } from "../chat/knowledge-answer";
import type { ChatEvent, ProductReference } from "../chat/types";
import type { ProductCard } from "../search/fusion";
import type { ParsedQuery, RelaxableFilter, SearchFilters } from "../search/query-parser";

export const playgroundQuery = z.object({
  q: z.string().trim().min(1, "Type a question").max(500, "Questions are at most 500 characters"),
});

type Mode = "hybrid" | "lexical" | "vector";

export interface PlaygroundDependencies {
  search(request: { shop: string; query: string; limit: number; mode: Mode }): Promise<{
    query: ParsedQuery;
    filters: SearchFilters;
    relaxed: RelaxableFilter[];
    hits: { product: ProductCard; score: number; matchedBy: string[] }[];
    vectorAvailable: boolean;
  }>;
  answer(request: { shop: string; message: string }): AsyncIterable<ChatEvent>;
}

/** RRF's constant (app/lib/search/fusion.ts): a list's contribution at rank r is weight / (K + r). */
const RRF_K = 60;
const CANDIDATES = 50;

export interface RankedProduct {
  rank: number;
  id: string;
  title: string;
  price: string;
  available: boolean;
  score: number;
  matchedBy: string[];
  lexical: { rank: number; contribution: number } | null;
  vector: { rank: number; contribution: number } | null;
}

export interface PlaygroundResult {
  question: string;
  parsed: ParsedQuery;
  filters: SearchFilters;
  relaxed: RelaxableFilter[];
  vectorAvailable: boolean;
  ranking: RankedProduct[];
  answer: {
    text: string;
    source: "llm" | "retrieval" | null;
    fallbackReason: string | null;
    products: Pick<ProductReference, "ref" | "id" | "title" | "price">[];
    /** Store knowledge the answer quotes (decision 125). */
    sources: Pick<SourceReference, "ref" | "title" | "url">[];
    citations: number[];
    error: string | null;
  };
}

export async function runPlayground(
  deps: PlaygroundDependencies,
  shop: string,
  question: string,
): Promise<PlaygroundResult> {
  const [hybrid, lexical, vector] = await Promise.all(
    (["hybrid", "lexical", "vector"] as const).map((mode) =>
      deps.search({ shop, query: question, limit: mode === "hybrid" ? 10 : CANDIDATES, mode }),
    ),
  );
  const place = (list: typeof lexical, id: string) => {
    const index = list.hits.findIndex((hit) => hit.product.id === id);
    return index < 0 ? null : { rank: index + 1, contribution: 1 / (RRF_K + index + 1) };
  };
  const ranking = hybrid.hits.map((hit, index) => ({
    rank: index + 1,
    id: hit.product.id,
    title: hit.product.title,
    price: hit.product.price,
    available: hit.product.available,
    score: hit.score,
    matchedBy: hit.matchedBy,
    lexical: place(lexical, hit.product.id),
    vector: place(vector, hit.product.id),
  }));

  const answer = await collectAnswer(deps.answer({ shop, message: question }));
  return {
    question,
    parsed: hybrid.query,
    filters: hybrid.filters,
    relaxed: hybrid.relaxed,
    vectorAvailable: hybrid.vectorAvailable,
    ranking,
    answer,
  };
}

export type CollectedAnswer = PlaygroundResult["answer"];

/** The widget's streamed answer as it reads once finished: final text, cards, quoted sources, how it was made. */
export async function collectAnswer(events: AsyncIterable<ChatEvent>): Promise<CollectedAnswer> {
  let text = "";
  let done: Extract<ChatEvent, { type: "done" }> | null = null;
  let products: ProductReference[] = [];
  let sources: SourceReference[] = [];
  let error: string | null = null;
  for await (const event of events) {
    if (event.type === "products") products = event.items;
    else if (event.type === "sources") sources = event.items;
    else if (event.type === "text") text += event.delta;
    else if (event.type === "replace") text = event.text;
    else if (event.type === "done") done = event;
    else if (event.type === "error") error = event.message;
  }
  return {
    text: done?.text ?? text,
    source: done?.source ?? null,
    fallbackReason: done?.fallbackReason ?? null,
    products: products.map(({ ref, id, title, price }) => ({ ref, id, title, price })),
    sources: sources.map(({ ref, title, url }) => ({ ref, title, url })),
    citations: done?.citations ?? [],
    error,
  };
}
