// The answer engine: message (+ last turns, + optional customer facts) → hybrid retrieval →
// grounded, streamed answer as typed events (types.ts, README.md). The chat never breaks: with no
// model, or when it errors, times out or trips a guardrail, the answer is the templated
// retrieval-only one built from the same products.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { Logger } from "../logger.server";
import type { ProductCard } from "../search/fusion";
import { askedNoun } from "../search/product-kind";
import type { ProductSearch, SearchRequest, SearchResult } from "../search/product-search.server";
import {
  matchesFilters,
  normalizePhrase,
  parseQuery,
  type CatalogVocabulary,
  type SearchFilters,
} from "../search/query-parser";
import { checkRewrite, proposeRewrite, rewritePrompt, type CheckedRewrite } from "./conversation-rewrite";
import { refinementOptions, resolveConversation, type ResolvedQuery } from "./follow-up";
import { notCarried, notCarriedNote, unknownThing } from "./relevance-floor";
import { checkShopperMessage } from "./shopper-message";
import { createCanary, OutputGuard, type Violation } from "./guardrails";
import { buildPrompt, type PromptMessage } from "./prompt";
import { knowledgeAnswerText, planKnowledgeAnswer, type KnowledgeCandidate } from "./knowledge-answer";
import {
  closestSentences,
  describeClosest,
  describeRelaxed,
  relaxedSentences,
  retrievalAnswer,
  type AnswerFacts,
} from "./retrieval-answer";
import type { AnswerRequest, ChatEvent, ChatTurn, FallbackReason, KnowledgeRetriever, ProductReference } from "./types";

export interface AnswerEngineOptions {
  search: ProductSearch;
  /** The shop's policies, pages and Q&A; absent: answers know only products. */
  knowledge?: KnowledgeRetriever;
  /** null: retrieval-only answers (LLM_PROVIDER=none). */
  chatModel: BaseChatModel | null;
  /**
   * Rewrites the conversation into a standalone query plus filters (structured output, decision
   * 131); a non-streaming client. Absent or null: the deterministic reading only.
   */
  rewriteModel?: BaseChatModel | null;
  /** Deadline of the rewrite call, in ms: past it the deterministic reading is used. */
  rewriteTimeoutMs?: number;
  log?: Logger;
  /** Longest accepted shopper message, in characters. */
  maxInputChars?: number;
  /** Products given to the model as context (and shown as cards). */
  contextProducts?: number;
  /** Earlier messages (user + assistant) given to the model. */
  historyTurns?: number;
  /** Whole-answer deadline for the model, in ms. */
  timeoutMs?: number;
  /** The model's output cap (LLM_MAX_TOKENS): part of what a call reserves. */
  maxOutputTokens?: number;
}

/**
 * Tokens of a text, estimated on the high side (about 3 characters a token; English averages 4):
 * what a call reserves for its prompt, and what it is charged when the provider reports no usage.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** Per-message overhead of the chat format, on the high side. */
const TOKENS_PER_MESSAGE = 8;

/** What a rewrite call reserves for its reply (a small JSON object). */
const REWRITE_OUTPUT_TOKENS = 256;

function toLangChain(messages: PromptMessage[]): BaseMessage[] {
  return messages.map((m) =>
    m.role === "system"
      ? new SystemMessage(m.content)
      : m.role === "assistant"
        ? new AIMessage(m.content)
        : new HumanMessage(m.content),
  );
}

function chunkText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "object" && part && "text" in part ? String(part.text) : ""))
      .join("");
  }
  return "";
}

/** Products an assistant turn may carry (the widget shows at most a handful). */
const MAX_TURN_PRODUCTS = 20;

/**
 * The turns as given, validated and bounded: they may come from a shopper's browser. Malformed turns
 * and product entries are dropped, not trusted.
 */
export function validTurns(history: unknown, limit: number): ChatTurn[] {
  if (!Array.isArray(history)) return [];
  const text = (value: unknown, max: number) => (typeof value === "string" && value.length <= max ? value : undefined);
  return history
    .filter(
      (turn): turn is ChatTurn =>
        (turn?.role === "user" || turn?.role === "assistant") && typeof turn.content === "string",
    )
    .slice(-limit)
    .map((turn) => {
      const products = Array.isArray(turn.products)
        ? turn.products
            .filter((p) => typeof p?.id === "string" && p.id.length > 0 && p.id.length <= 200)
            .slice(0, MAX_TURN_PRODUCTS)
            .map((p) => {
              const price = Number(p.price);
              return {
                id: p.id,
                ...(p.price !== undefined && p.price !== null && Number.isFinite(price) && price >= 0 ? { price } : {}),
                ...(text(p.title, 300) !== undefined ? { title: p.title } : {}),
              };
            })
        : undefined;
      return { role: turn.role, content: turn.content, ...(products?.length ? { products } : {}) };
    });
}

/**
 * Products of the kind asked for, when there are any: the others only fill in when there are none.
 * A kind named by title nouns inside a wider type ("socks" among Accessories) is the products whose
 * title or type names it, when some do.
 */
export function ofKind(result: Pick<SearchResult, "kind" | "filters" | "hits">): SearchResult["hits"] {
  const types = result.filters.productTypes;
  const kind = result.kind;
  if (!kind || !types?.length) return result.hits;
  const inside = result.hits.filter((hit) => types.includes(hit.product.productType));
  if (!inside.length) return result.hits;
  const named = inside.filter((hit) => namesAll(hit.product, kind.asked));
  return named.length ? named : inside;
}

/** Whether a product's title or type has every word of `asked` (plurals folded). */
function namesAll(product: Pick<ProductCard, "title" | "productType">, asked: string): boolean {
  const own = new Set(normalizePhrase(`${product.title} ${product.productType}`).split(" "));
  return normalizePhrase(asked)
    .split(" ")
    .every((word) => own.has(word));
}

/** Whether a (normalised) word is one of the shop's: in a title or type, a brand or an option value. */
function shopWords(catalog: { vocabulary: CatalogVocabulary; words: Set<string> }): (word: string) => boolean {
  return (word) =>
    catalog.words.has(word) ||
    [...catalog.vocabulary.vendors.keys(), ...catalog.vocabulary.optionValues.keys()].some((phrase) =>
      phrase.split(" ").includes(word),
    );
}

/**
 * After "cheaper/pricier" had to drop its bound (nothing is cheaper than what was shown), only the
 * products on the asked side of the compared price are shown (the compared one itself, at least):
 * never dearer ones padded in as if they were cheaper.
 */
export function withinComparison(
  products: ProductCard[],
  comparedTo: ResolvedQuery["comparedTo"],
  relaxed: SearchResult["relaxed"],
): ProductCard[] {
  if (!comparedTo || !relaxed.includes("price")) return products;
  const kept = products.filter((product) =>
    comparedTo.direction === "below"
      ? Number(product.price) <= comparedTo.price
      : Number(product.price) >= comparedTo.price,
  );
  return kept.length ? kept : products.slice(0, 1);
}

/** The products shown, numbered, each close match with the filter it misses (the search's backfill). */
function referencesOf(result: Pick<SearchResult, "hits">, shown: ProductCard[]): ProductReference[] {
  const missing = new Map(result.hits.flatMap((hit) => (hit.missing ? [[hit.product.id, hit.missing] as const] : [])));
  return shown.map((product, i) => {
    const misses = missing.get(product.id);
    return misses ? { ...product, ref: i + 1, misses } : { ...product, ref: i + 1 };
  });
}

/** How many of the products shown are close matches, and what they miss (closestSentences). */
function closestShown(shown: ProductReference[]): AnswerFacts["closest"] {
  const added = shown.filter((product) => product.misses);
  return added.length ? { count: added.length, missing: [...new Set(added.map((p) => p.misses!))] } : undefined;
}

const VIOLATION_LOG: Record<Violation, string> = {
  canary: "model output contained the canary",
  prompt_leak: "model output quoted the system prompt",
  ungrounded_price: "model output named a price no product has",
  ungrounded_stock: "model output said something about stock the catalog does not",
  link: "model output contained a link",
  off_topic: "model output cited and named none of the products",
};

export class AnswerEngine {
  private readonly search: ProductSearch;
  private readonly knowledge: KnowledgeRetriever | undefined;
  private readonly chatModel: BaseChatModel | null;
  private readonly rewriteModel: BaseChatModel | null;
  private readonly rewriteTimeoutMs: number;
  private readonly log: Logger | undefined;
  readonly maxInputChars: number;
  private readonly contextProducts: number;
  private readonly historyTurns: number;
  private readonly timeoutMs: number;
  private readonly maxOutputTokens: number;

  constructor(options: AnswerEngineOptions) {
    this.search = options.search;
    this.knowledge = options.knowledge;
    this.chatModel = options.chatModel;
    this.rewriteModel = options.rewriteModel ?? null;
    this.rewriteTimeoutMs = options.rewriteTimeoutMs ?? 5000;
    this.log = options.log;
    this.maxInputChars = options.maxInputChars ?? 1000;
    this.contextProducts = options.contextProducts ?? 6;
    this.historyTurns = options.historyTurns ?? 6;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxOutputTokens = options.maxOutputTokens ?? 1024;
  }

  async *answer(request: AnswerRequest): AsyncGenerator<ChatEvent> {
    const checked = checkShopperMessage(request.message ?? "", this.maxInputChars);
    if (!checked.ok) {
      yield { type: "error", code: checked.code, message: checked.message };
      return;
    }
    const { message } = checked;
    // Store knowledge is searched beside the products; without it the answer is still a product answer.
    const knowledge: Promise<KnowledgeCandidate[]> = this.knowledge
      ? this.knowledge.search(request.shop, message).catch((error: unknown) => {
          this.log?.warn({ err: error, shop: request.shop }, "store knowledge search failed; products only");
          return [];
        })
      : Promise.resolve([]);
    let products: ProductReference[];
    let relaxed: Parameters<typeof describeRelaxed>[0];
    let facts: AnswerFacts;
    let floor: ReturnType<typeof notCarried>;
    const chatModel = request.useModel === false ? null : this.chatModel;
    let productsEvent: Extract<ChatEvent, { type: "products" }>;
    try {
      const history = await this.withShownProducts(request.shop, validTurns(request.history, this.historyTurns));
      const catalog = await this.search.vocabularyOf(request.shop);
      const knownWord = catalog ? shopWords(catalog) : undefined;
      let resolved = await resolveConversation(
        message,
        history,
        async (text) => {
          // The kind as asked: "bottles" after "a mug" is another topic even when both are Camp Kitchen.
          const kind = await this.search.kindOf(request.shop, text);
          return kind ? normalizePhrase(kind.asked) : null;
        },
        catalog ? (text) => refinementOptions(text, catalog.vocabulary) : undefined,
      );
      // "and hammocks?" after tents: a refinement naming a thing the shop has no word for is a new
      // question, so the relevance floor can answer it.
      const refinement = parseQuery(resolved.refinement ?? "").text;
      const named = askedNoun(refinement);
      if (resolved.isFollowUp && !resolved.referent && named && unknownThing(refinement, named, knownWord)) {
        resolved = { query: message, filters: {}, isFollowUp: false };
      }
      const rewrite =
        chatModel && this.rewriteModel && catalog
          ? await this.rewrite(request, message, history, resolved, catalog)
          : null;
      const searched = {
        shop: request.shop,
        query: rewrite?.query ?? resolved.query,
        filters: rewrite?.filters ?? resolved.filters,
        limit: this.contextProducts,
        kindFirst: true,
      };
      const result = await this.withWiderKind(searched, await this.search.search(searched));
      floor = notCarried(result, Boolean(resolved.referent), knownWord);
      // With a model that words the answer but no rewrite step, the floor is advice, not a verdict:
      // words the full-text index cannot match (another language, "my orders") still reach the
      // model, told that nothing matched by name. With the rewrite step the query searched is in the
      // shop's words (the model's, or the deterministic reading when it failed): a verdict.
      const none = chatModel && !this.rewriteModel ? undefined : floor;
      const shown = withinComparison(
        await this.withReferentFirst(
          request.shop,
          ofKind(result).map((hit) => hit.product),
          resolved,
          result.filters,
        ),
        resolved.comparedTo,
        result.relaxed,
      ).slice(0, this.contextProducts);
      products = none ? [] : referencesOf(result, shown);
      relaxed = result.relaxed;
      facts = {
        products,
        kind: result.kind?.asked ?? null,
        requested: result.requested,
        relaxed,
        closest: closestShown(products),
        comparedTo: resolved.comparedTo,
        notCarried: none,
        currency: request.currency,
        locale: request.locale,
      };
      productsEvent = {
        type: "products",
        items: products,
        query: searched.query,
        filters: result.filters,
        relaxed,
        kind: result.kind ? { asked: result.kind.asked, productTypes: result.kind.productTypes } : null,
        requested: result.requested,
        ...(resolved.comparedTo ? { comparedTo: resolved.comparedTo } : {}),
        ...(rewrite ? { rewrite: { query: rewrite.query, dropped: rewrite.dropped } } : {}),
        ...(none ? { none } : {}),
      };
    } catch (error) {
      await knowledge;
      this.log?.error({ err: error, shop: request.shop }, "search failed while answering");
      yield { type: "error", code: "search_failed", message: "Search is unavailable right now. Please try again." };
      return;
    }
    const plan = planKnowledgeAnswer(message, await knowledge, products, floor?.asked);
    if (plan.sources.length || plan.uncovered) {
      // Quoted, not paraphrased: the model never words a policy (decision 125).
      const { none: _notCarried, ...answeredByKnowledge } = productsEvent;
      yield { ...answeredByKnowledge, items: plan.products };
      if (plan.sources.length) yield { type: "sources", items: plan.sources };
      const productText = plan.products.length
        ? retrievalAnswer({ ...facts, products: plan.products, notCarried: undefined })
        : null;
      const text = knowledgeAnswerText(plan, productText);
      yield { type: "text", delta: text };
      const citations = plan.products.map((p) => p.ref).slice(0, 5);
      yield { type: "done", source: "retrieval", fallbackReason: "store_knowledge", citations, text };
      return;
    }
    yield productsEvent;

    /** The templated answer; `replacing` when model text was already shown. */
    const retrievalOnly = function* (reason: FallbackReason, replacing = false): Generator<ChatEvent> {
      const text = retrievalAnswer(facts);
      yield replacing ? { type: "replace", text } : { type: "text", delta: text };
      // The text names the best three.
      const citations = products.map((p) => p.ref).slice(0, 3);
      yield { type: "done", source: "retrieval", fallbackReason: reason, citations, text };
    };
    if (!chatModel) {
      yield* retrievalOnly("no_llm");
      return;
    }
    if (!products.length) {
      // Nothing to ground an answer in: the model could only invent.
      yield* retrievalOnly("no_products");
      return;
    }

    const canary = createCanary();
    const prompt = buildPrompt({
      canary,
      storeName: request.storeName,
      products,
      history: validTurns(request.history, this.historyTurns),
      message,
      customer: request.customer,
      currency: request.currency,
      relaxedNote: [
        describeRelaxed(relaxed),
        describeClosest(facts.closest, products.length),
        floor && notCarriedNote(floor),
      ]
        .filter(Boolean)
        .join(" "),
      style: request.style,
    });
    const prices = products.flatMap((p) => [
      p.minPrice,
      p.maxPrice,
      Number(p.price),
      ...p.variants.map((v) => Number(v.price)),
    ]);
    // The shop's own domain is the one address the text may name.
    const guard = new OutputGuard({
      canary,
      productCount: products.length,
      prices,
      allowedHosts: [request.shop],
      products: products.map((p) => ({
        ref: p.ref,
        title: p.title,
        prices: [p.minPrice, p.maxPrice, Number(p.price), ...p.variants.map((v) => Number(v.price))],
        available: p.available,
      })),
    });

    // The call's worst case is held before it starts and settled however it ends (answer, guardrail,
    // error, timeout, a shopper who left): an unfinished answer is never free.
    const promptTokens = prompt.reduce((sum, m) => sum + estimateTokens(m.content) + TOKENS_PER_MESSAGE, 0);
    const worstCase = promptTokens + this.maxOutputTokens;
    const reservation = request.spend ? await request.spend.reserve(worstCase) : null;
    if (request.spend && !reservation) {
      yield* retrievalOnly("budget");
      return;
    }
    // A dropped constraint is said in the engine's words before the model's: never left unsaid.
    const relaxedText = [...relaxedSentences(facts), ...closestSentences(facts)].join(" ");
    if (relaxedText) yield { type: "text", delta: `${relaxedText}\n\n` };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    let failure: FallbackReason | undefined;
    let streamed = "";
    let completed = false;
    try {
      const stream = await chatModel.stream(toLangChain(prompt), { signal });
      for await (const chunk of stream) {
        if (chunk.usage_metadata) {
          usage = { inputTokens: chunk.usage_metadata.input_tokens, outputTokens: chunk.usage_metadata.output_tokens };
        }
        const piece = chunkText(chunk.content);
        streamed += piece;
        const delta = guard.push(piece);
        if (guard.violation) break;
        if (delta) yield { type: "text", delta };
      }
      completed = !guard.violation;
      if (!guard.violation) {
        const rest = guard.flush();
        if (rest) yield { type: "text", delta: rest };
      }
    } catch (error) {
      if (request.signal?.aborted) return; // the shopper went away: nothing to answer
      failure = timeout.aborted ? "llm_timeout" : "llm_error";
      this.log?.warn(
        { err: error, shop: request.shop, reason: failure },
        "language model failed; retrieval-only answer",
      );
    } finally {
      // Also runs when the consumer stops reading (the generator is returned early). Without the
      // provider's usage, a stream read to its end is charged what was sent and seen; one cut short
      // (shopper gone, guardrail, error, timeout) its whole reservation: the provider may have
      // written up to max_tokens that never reached us (decision 105).
      const used = usage
        ? usage.inputTokens + usage.outputTokens
        : completed
          ? promptTokens + estimateTokens(streamed)
          : worstCase;
      await reservation?.settle(used).catch((error: unknown) => {
        this.log?.error({ err: error, shop: request.shop }, "could not settle the model tokens of an answer");
      });
    }
    if (guard.violation) {
      this.log?.warn({ shop: request.shop, violation: guard.violation }, VIOLATION_LOG[guard.violation]);
      failure = "guardrail";
    }
    if (!failure && !guard.text.trim()) failure = "llm_error";
    if (failure) {
      yield* retrievalOnly(failure, Boolean(guard.text || relaxedText));
      return;
    }
    const text = relaxedText ? `${relaxedText}\n\n${guard.text}` : guard.text;
    yield { type: "done", source: "llm", citations: guard.citations, text, usage };
  }

  /**
   * The model's standalone query and filters for this message, checked against the shop's
   * vocabulary and the deterministic reading; null (the deterministic reading is used) when the
   * model fails, runs past its deadline, the shop's token budget is spent, or the shopper left.
   */
  private async rewrite(
    request: AnswerRequest,
    message: string,
    history: ChatTurn[],
    resolved: ResolvedQuery,
    catalog: { vocabulary: CatalogVocabulary; productTypes: string[]; words: Set<string> },
  ): Promise<CheckedRewrite | null> {
    const model = this.rewriteModel;
    if (!model) return null;
    const prompt = rewritePrompt({
      message,
      history,
      productTypes: catalog.productTypes,
      vendors: [...catalog.vocabulary.vendors.values()],
    });
    const promptTokens = prompt.reduce((sum, m) => sum + estimateTokens(String(m.content)) + TOKENS_PER_MESSAGE, 0);
    const reservation = request.spend ? await request.spend.reserve(promptTokens + REWRITE_OUTPUT_TOKENS) : null;
    if (request.spend && !reservation) return null;
    const timeout = AbortSignal.timeout(this.rewriteTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let used = promptTokens + REWRITE_OUTPUT_TOKENS;
    try {
      const proposal = await proposeRewrite(model, prompt, signal);
      used = promptTokens + estimateTokens(JSON.stringify(proposal));
      const checked = checkRewrite(proposal, resolved, message, catalog.vocabulary);
      if (checked.dropped.length) {
        this.log?.info({ shop: request.shop, dropped: checked.dropped }, "rewrite proposals the catalog refused");
      }
      return checked;
    } catch (error) {
      this.log?.warn(
        { err: error, shop: request.shop, reason: timeout.aborted ? "timeout" : "error" },
        "conversation rewrite failed; deterministic reading",
      );
      return null;
    } finally {
      await reservation?.settle(used).catch((error: unknown) => {
        this.log?.error({ err: error, shop: request.shop }, "could not settle the model tokens of a rewrite");
      });
    }
  }

  /**
   * "white noise machine under £50" when no Noise Machine is that cheap: before a constraint is
   * dropped, the wider kind of the asked words' head noun (every "… Machine" type) is tried, keeping
   * the products whose title or type names all the asked words (a "White Noise … Sound Machine").
   */
  private async withWiderKind(request: SearchRequest, result: SearchResult): Promise<SearchResult> {
    const kind = result.kind;
    const asked = kind ? normalizePhrase(kind.asked).split(" ") : [];
    if (!kind || asked.length < 2 || !result.relaxed.some((name) => name !== "productTypes")) return result;
    const wider = await this.search.kindOf(request.shop, asked[asked.length - 1]);
    const narrow = new Set(kind.productTypes);
    if (!wider || wider.productTypes.every((type) => narrow.has(type))) return result;
    const retry = await this.search.search({
      ...request,
      filters: { ...request.filters, productTypes: wider.productTypes },
    });
    const named = ofKind({ ...retry, kind }).filter((hit) => namesAll(hit.product, kind.asked));
    if (retry.relaxed.length >= result.relaxed.length || !named.length) return result;
    return { ...retry, kind, requested: result.requested, hits: named };
  }

  /**
   * The shown product the message points at comes first ("the second one", "is it in stock?"):
   * from the results when there, else read from the catalog (for "it", only when it meets the filters).
   */
  private async withReferentFirst(
    shop: string,
    products: ProductCard[],
    resolved: ResolvedQuery,
    filters: SearchFilters,
  ): Promise<ProductCard[]> {
    const referent = resolved.referent;
    if (!referent) return products;
    const index = products.findIndex((product) => product.id === referent.id);
    if (index >= 0) return [products[index], ...products.slice(0, index), ...products.slice(index + 1)];
    const [card] = await this.search.cards(shop, [referent.id]);
    if (!card) return products;
    // Asked about by position: that product, whatever the filters. "it" with a constraint: only if it meets it.
    const { sort: _order, ...which } = filters;
    return resolved.referentBy === "ordinal" || matchesFilters(card, which) ? [card, ...products] : products;
  }

  /**
   * Assistant turns with their products' titles and current prices from the catalog (the
   * conversation store keeps only ids), so "the second one" and "cheaper" have something to go on.
   */
  private async withShownProducts(shop: string, history: ChatTurn[]): Promise<ChatTurn[]> {
    const missing = history.flatMap((turn) =>
      turn.role === "assistant"
        ? (turn.products ?? []).filter((p) => p.title === undefined || p.price === undefined)
        : [],
    );
    if (!missing.length) return history;
    const cards = new Map(
      (await this.search.cards(shop, [...new Set(missing.map((p) => p.id))])).map((c) => [c.id, c]),
    );
    return history.map((turn) =>
      turn.products
        ? {
            ...turn,
            products: turn.products.map((p) => {
              const card = cards.get(p.id);
              return card ? { id: p.id, title: p.title ?? card.title, price: p.price ?? card.price } : p;
            }),
          }
        : turn,
    );
  }
}
