import type { ConversationRewrite } from "../../app/lib/chat/conversation-rewrite";

/** A model's rewrite that asks for nothing: tests complete it with the fields they propose. */
export const NO_REWRITE: ConversationRewrite = {
  query: "",
  minPrice: null,
  maxPrice: null,
  inStock: null,
  productTypes: null,
  vendors: null,
  options: null,
  sort: null,
};
