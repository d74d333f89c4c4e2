// Conversation insights (pure): top questions, questions the assistant could not answer with
// products (grouped), and products recommended and added to cart from chat.
import { productGid } from "../shopify/gid";
import type { CartEvent, ChatMessage, Conversation } from "../customers/types";

/** Insights look at this many of the latest conversations (bounded work per page view). */
export const INSIGHT_CONVERSATIONS = 200;

export interface QuestionGroup {
  /** The normalised question (lower case, punctuation and extra spaces removed). */
  key: string;
  /** The first wording seen. */
  example: string;
  count: number;
  conversationIds: string[];
}

export interface ProductTally {
  productId: string;
  title: string | null;
  recommended: number;
  addedToCart: number;
}

export interface ConversationInsights {
  conversationsAnalysed: number;
  questions: number;
  topQueries: QuestionGroup[];
  /** Questions answered without any product, or not answered at all. */
  unanswered: QuestionGroup[];
  /** Conversations with at least one such question. */
  unansweredConversations: number;
  products: ProductTally[];
  cartAdds: number;
  startedAt: Date[];
}

export function normaliseQuestion(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}$€£.\s-]/gu, " ")
    .replace(/\.(?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function group(groups: Map<string, QuestionGroup>, text: string, conversationId: string) {
  const key = normaliseQuestion(text);
  if (!key) return;
  const entry = groups.get(key) ?? { key, example: text.trim(), count: 0, conversationIds: [] };
  entry.count++;
  if (!entry.conversationIds.includes(conversationId)) entry.conversationIds.push(conversationId);
  groups.set(key, entry);
}

const ranked = (groups: Map<string, QuestionGroup>, limit: number) =>
  [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, limit);

/** Pure: insights from loaded conversations with their messages and cart events. */
export function summariseConversations(
  threads: { conversation: Conversation; messages: ChatMessage[]; cartEvents: CartEvent[] }[],
  titleOf: (productId: string) => string | null = () => null,
): ConversationInsights {
  const all = new Map<string, QuestionGroup>();
  const unanswered = new Map<string, QuestionGroup>();
  const products = new Map<string, ProductTally>();
  // Records made before ids stayed GIDs hold numeric ids: count both forms as one product.
  const tally = (storedId: string) => {
    const productId = productGid(storedId);
    const entry = products.get(productId) ?? { productId, title: titleOf(storedId), recommended: 0, addedToCart: 0 };
    products.set(productId, entry);
    return entry;
  };
  let questions = 0;
  let cartAdds = 0;
  const unansweredIn = new Set<string>();
  for (const { conversation, messages, cartEvents } of threads) {
    const ordered = [...messages].sort((a, b) => a.position - b.position);
    ordered.forEach((message, i) => {
      if (message.role === "assistant") {
        for (const productId of new Set(message.productIds)) tally(productId).recommended++;
        return;
      }
      questions++;
      group(all, message.text, conversation.id);
      const reply = ordered[i + 1];
      if (!reply || reply.role !== "assistant" || reply.productIds.length === 0) {
        group(unanswered, message.text, conversation.id);
        unansweredIn.add(conversation.id);
      }
    });
    for (const event of cartEvents) {
      tally(event.productId).addedToCart++;
      cartAdds++;
    }
  }
  return {
    conversationsAnalysed: threads.length,
    questions,
    topQueries: ranked(all, 10),
    unanswered: ranked(unanswered, 10),
    unansweredConversations: unansweredIn.size,
    products: [...products.values()]
      .sort((a, b) => b.addedToCart - a.addedToCart || b.recommended - a.recommended)
      .slice(0, 10),
    cartAdds,
    startedAt: threads.map((t) => t.conversation.startedAt),
  };
}
