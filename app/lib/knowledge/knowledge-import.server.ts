// Reads a shop's policies and published pages from the Admin API and syncs them into the knowledge
// store (decision 125). Only changed sources are embedded again; deleted or unpublished ones go.
import type { Logger } from "../logger.server";
import type { AdminAnswer, AdminGraphql } from "../shopify/admin-graphql";
import { KNOWLEDGE_PAGES_QUERY, KNOWLEDGE_POLICIES_QUERY } from "../shopify/knowledge-queries";
import type { KnowledgeStore, SyncReport } from "./knowledge-store.server";
import type { KnowledgeSourceInput } from "./passages";

/** Pages read at most per refresh (50 a request): far above what a shop writes by hand. */
const MAX_PAGE_REQUESTS = 20;

/** A policy's storefront path: the URL Shopify gives is on the shop's own domain, the link stays relative. */
function storefrontPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export async function fetchKnowledgeSources(admin: AdminGraphql): Promise<KnowledgeSourceInput[]> {
  const sources: KnowledgeSourceInput[] = [];
  const { shop } = await admin.query(KNOWLEDGE_POLICIES_QUERY);
  for (const policy of shop.shopPolicies) {
    if (!policy.body.trim()) continue;
    sources.push({
      kind: "policy",
      sourceId: policy.id,
      title: policy.title,
      url: storefrontPath(String(policy.url)),
      body: String(policy.body),
    });
  }
  let after: string | null = null;
  for (let request = 0; request < MAX_PAGE_REQUESTS; request++) {
    const answer: AdminAnswer<typeof KNOWLEDGE_PAGES_QUERY> = await admin.query(KNOWLEDGE_PAGES_QUERY, { after });
    const { pages } = answer;
    for (const page of pages.nodes) {
      if (!page.isPublished) continue;
      sources.push({
        kind: "page",
        sourceId: page.id,
        title: page.title,
        url: `/pages/${page.handle}`,
        body: String(page.body),
      });
    }
    if (!pages.pageInfo.hasNextPage) break;
    after = pages.pageInfo.endCursor ?? null;
  }
  return sources;
}

export interface KnowledgeImportDependencies {
  store: KnowledgeStore;
  adminFor: (shop: string) => Promise<AdminGraphql>;
  log: Logger;
}

/**
 * Refreshes one shop's policies and pages from Shopify, and indexes any merchant Q&A entry whose
 * passages are missing or were embedded by another model (the entries themselves are the merchant's).
 */
export async function refreshShopKnowledge(deps: KnowledgeImportDependencies, shop: string): Promise<SyncReport> {
  const sources = await fetchKnowledgeSources(await deps.adminFor(shop));
  const report = await deps.store.sync(shop, ["policy", "page"], sources);
  const questions = await deps.store.reindexQuestions(shop);
  deps.log.info({ shop, ...report, questions }, "store knowledge refreshed");
  return report;
}
