// Store-knowledge answers on the demo shop (decision 125): its policies, pages and Q&A
// (tools/emulator/catalog/demo-content.ts) beside the demo catalog, every labelled question of
// knowledge-questions.ts answered by the real answer engine in retrieval-only mode. Reports how often
// the right source is quoted first, that every quote is the store's own text (no invented policy),
// that uncovered questions are answered honestly, and that products appear exactly when asked for.
import type { PrismaClient } from "@prisma/client";
import { buildProductDocument, htmlToPlainText, type ProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import { AnswerEngine } from "../../app/lib/chat/answer-engine.server";
import { UNCOVERED_TEXT, type SourceReference } from "../../app/lib/chat/knowledge-answer";
import type { ChatEvent, ProductReference } from "../../app/lib/chat/types";
import { KnowledgeStore } from "../../app/lib/knowledge/knowledge-store.server";
import type { KnowledgeSourceInput } from "../../app/lib/knowledge/passages";
import type { EmbeddingsProvider } from "../../app/lib/search/embeddings.server";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { DEMO_PAGES, DEMO_POLICIES, DEMO_QUESTIONS } from "../emulator/catalog/demo-content";
import { POLICY_HANDLES } from "../emulator/store/online-store-content";
import { KNOWLEDGE_QUESTIONS, type KnowledgeQuestion } from "./knowledge-questions";

/** The demo shop's knowledge as the Admin import and the dashboard would hand it over. */
export function demoKnowledgeSources(): KnowledgeSourceInput[] {
  return [
    ...DEMO_POLICIES.map((policy, i) => ({
      kind: "policy" as const,
      sourceId: `gid://shopify/ShopPolicy/${i + 1}`,
      title: policy.title,
      url: `/policies/${POLICY_HANDLES[policy.type]}`,
      body: policy.bodyHtml,
    })),
    ...DEMO_PAGES.map((page, i) => ({
      kind: "page" as const,
      sourceId: `gid://shopify/Page/${i + 1}`,
      title: page.title,
      url: `/pages/${page.handle}`,
      body: page.bodyHtml,
    })),
    ...DEMO_QUESTIONS.map((entry, i) => ({
      kind: "qa" as const,
      sourceId: `qa-${i + 1}`,
      title: entry.question,
      url: null,
      body: entry.answer,
    })),
  ];
}

export interface KnowledgeOutcome {
  item: KnowledgeQuestion;
  sources: SourceReference[];
  products: ProductReference[];
  text: string;
  rightSource: boolean;
  faithful: boolean;
  honest: boolean;
  productsRight: boolean;
}

export async function answerKnowledgeQuestions(
  db: PrismaClient,
  index: HybridProductIndex,
  embeddings: EmbeddingsProvider,
  products: Product[],
  shop = "eval-knowledge.myshopify.com",
): Promise<KnowledgeOutcome[]> {
  const documents: ProductDocument[] = products.map((p) => buildProductDocument(p));
  for (let i = 0; i < documents.length; i += 256) await index.upsert(shop, documents.slice(i, i + 256));
  const store = new KnowledgeStore({
    db,
    embeddings: embeddings.embeddings,
    embeddingModel: `${embeddings.descriptor.provider}:${embeddings.descriptor.model}`,
  });
  const sources = demoKnowledgeSources();
  await store.sync(shop, ["policy", "page", "qa"], sources);
  // Every quote must be a piece of the store's own text (whitespace aside).
  const squash = (text: string) => text.replace(/\s+/g, " ").trim();
  const storeText = sources.map((s) => squash(s.kind === "qa" ? s.body : htmlToPlainText(s.body))).join("\n");
  const engine = new AnswerEngine({
    search: new ProductSearch({ index, cacheSize: 0 }),
    knowledge: store,
    chatModel: null,
  });
  const outcomes: KnowledgeOutcome[] = [];
  try {
    for (const item of KNOWLEDGE_QUESTIONS) {
      const events: ChatEvent[] = [];
      for await (const event of engine.answer({ shop, message: item.question })) events.push(event);
      const quoted = events.flatMap((e) => (e.type === "sources" ? e.items : []));
      const shown = events.flatMap((e) => (e.type === "products" ? e.items : []));
      const done = events.find((e) => e.type === "done");
      const text = done?.type === "done" ? done.text : "";
      outcomes.push({
        item,
        sources: quoted,
        products: shown,
        text,
        rightSource: item.source === null ? quoted.length === 0 : quoted[0]?.title === item.source,
        faithful: quoted.every((s) => storeText.includes(squash(s.quote))),
        honest: item.source === null ? text.includes(UNCOVERED_TEXT) && !quoted.length : true,
        productsRight: item.productTypes
          ? shown.length > 0 && shown.every((p) => item.productTypes!.includes(p.productType))
          : shown.length === 0,
      });
    }
  } finally {
    await store.dropShop(shop);
    await index.dropShop(shop);
  }
  return outcomes;
}

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

export function printKnowledgeReport(outcomes: KnowledgeOutcome[]): void {
  const covered = outcomes.filter((o) => o.item.source !== null);
  const uncovered = outcomes.filter((o) => o.item.source === null);
  const withProducts = outcomes.filter((o) => o.item.productTypes);
  console.log(`\n### Store knowledge (demo shop: ${outcomes.length} policy, page and Q&A questions)\n`);
  console.log("| measure | result |\n|---|---|");
  console.log(
    `| right source quoted first (${covered.length} covered questions) | ${percent(covered.filter((o) => o.rightSource).length, covered.length)} |`,
  );
  console.log(
    `| quotes that are the store's own text | ${percent(outcomes.filter((o) => o.faithful).length, outcomes.length)} |`,
  );
  console.log(
    `| "not covered" answered honestly, nothing quoted (${uncovered.length}) | ${percent(uncovered.filter((o) => o.rightSource && o.honest).length, uncovered.length)} |`,
  );
  console.log(
    `| products shown exactly when the question needs them (${withProducts.length} need them) | ${percent(outcomes.filter((o) => o.productsRight).length, outcomes.length)} |`,
  );
  const misses = outcomes.filter((o) => !o.rightSource || !o.faithful || !o.honest || !o.productsRight);
  for (const miss of misses) {
    console.log(
      `- miss: "${miss.item.question}" expected ${miss.item.source ?? "nothing"}${miss.item.productTypes ? ` + ${miss.item.productTypes.join("/")}` : ""}; quoted ${miss.sources.map((s) => s.title).join(", ") || "nothing"}; products ${[...new Set(miss.products.map((p) => p.productType))].join(", ") || "none"}`,
    );
  }
}

// `tsx tools/eval/knowledge-eval.ts [--backend …]`: this part of `npm run eval` alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { withSearchStack, backendsFromArgs } = await import("./search-stack");
  const { withEmbeddingCache } = await import("./cached-embeddings");
  const { createEmbeddings } = await import("../../app/lib/search/embeddings.server");
  const { demoCatalog } = await import("./demo-catalog-products");
  for (const backend of backendsFromArgs()) {
    await withSearchStack(
      { backend, env: process.env, embeddings: (env) => withEmbeddingCache(createEmbeddings(env)) },
      async ({ index, embeddings, db }) => {
        console.log(`\n## Back end ${backend}`);
        printKnowledgeReport(await answerKnowledgeQuestions(db, index, embeddings, demoCatalog()));
      },
    );
  }
}
