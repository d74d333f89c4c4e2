// The conversations page's reads through the customer service (Prisma or Appwrite store alike).
import type { CustomerService } from "../customers/service.server";
import type { Conversation } from "../customers/types";
import { productGid } from "../shopify/gid";
import { INSIGHT_CONVERSATIONS } from "./conversation-insights";

type Conversations = Pick<CustomerService, "listConversations" | "getConversation">;

export async function loadRecentThreads(service: Conversations, shop: string, max = INSIGHT_CONVERSATIONS) {
  const conversations: Conversation[] = [];
  let cursor: string | null = null;
  do {
    const page = await service.listConversations(shop, { limit: Math.min(100, max - conversations.length), cursor });
    conversations.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && conversations.length < max);
  const threads = [];
  for (const conversation of conversations) {
    const thread = await service.getConversation(shop, conversation.id);
    if (thread) threads.push(thread);
  }
  return threads;
}

/** Product titles for ids as the chat records them (numeric) or as sync keeps them (GID). */
export async function productTitles(
  db: { productSync: { findMany(args: object): Promise<{ productId: string; snapshot: string | null }[]> } },
  shop: string,
  ids: string[],
): Promise<Map<string, string>> {
  const rows = await db.productSync.findMany({
    where: { shop, productId: { in: [...new Set(ids.map((id) => productGid(id)))] } },
    select: { productId: true, snapshot: true },
  });
  const titles = new Map<string, string>();
  for (const row of rows) {
    const title = row.snapshot ? (JSON.parse(row.snapshot) as { title?: string }).title : undefined;
    if (title) titles.set(row.productId, title);
  }
  return new Map(ids.filter((id) => titles.has(productGid(id))).map((id) => [id, titles.get(productGid(id))!]));
}
