// `npm run eval [-- --backend sqlite-chroma|postgres-pgvector|all]`: retrieval quality of
// lexical-only, vector-only and hybrid search side by side (recall@10, nDCG@10, MRR) on the demo
// catalog's labelled queries and on WANDS when present, then store-knowledge answers on the demo shop
// (tools/eval/knowledge-eval.ts). Uses the real stack of each back end
// (tools/eval/search-stack.ts) and the configured embedder (local USE-lite unless EMBEDDINGS_* say
// otherwise; vectors are cached on disk, tools/eval/cached-embeddings.ts). Results:
// docs/evaluation.md. `--per-query FILE` also writes every query's scores (JSON lines), to compare
// back ends query by query.
// Conversations (docs/evaluation.md, "Conversation evaluation"): multi-turn conversations played
// through the answer engine on the demo catalog and on spacire (../shared/data), without and with
// a (scripted, local) language model, printing the share of turns whose predicates pass.
// `--catalog FILE --conversations FILE` scores a merchant's own catalog and questions instead;
// `--conversations-only` skips the retrieval tables; `--per-turn FILE` writes every turn's verdict.
// `--neighbours` searches every set with the other public catalogs indexed as other shops of the
// same database (a deployment serving many shops).
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { ProductSearch, type RetrievalMode } from "../../app/lib/search/product-search.server";
import { AnswerEngine } from "../../app/lib/chat/answer-engine.server";
import type { Env } from "../../app/lib/config/env-schema";
import { formatCatalogReport } from "../emulator/catalog/catalog-file";
import { readConversationFile, type ConversationFile } from "./conversations/conversation-file";
import { passShare, runConversations, type ConversationRun } from "./conversations/run-conversations";
import { startScriptedModel } from "./conversations/scripted-model";
import { catalogFileProducts, demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { answerKnowledgeQuestions, printKnowledgeReport } from "./knowledge-eval";
import { meanScores, ndcgAt, recallAt, reciprocalRank, type Judgements, type Scores } from "./metrics";
import { withEmbeddingCache } from "./cached-embeddings";
import { backendsFromArgs, withSearchStack } from "./search-stack";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { spacireAvailable, spacireProducts, spacireQuerySet, SPACIRE_CATALOG } from "./spacire-queries";
import { wandsAvailable, wandsProducts, wandsQuerySet } from "./wands";

const K = 10;

const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
};
const perQueryFile = argValue("--per-query");
if (perQueryFile) writeFileSync(perQueryFile, "");
const perTurnFile = argValue("--per-turn");
if (perTurnFile) writeFileSync(perTurnFile, "");
const conversationsOnly = process.argv.includes("--conversations-only");
/** `--retrieval-only`: the retrieval tables without the conversation sets. */
const retrievalOnly = process.argv.includes("--retrieval-only");

/** `--sets demo,spacire,wands` (default: all): the retrieval sets to run, e.g. to keep WANDS out while choosing. */
const RETRIEVAL_SETS = ["demo", "spacire", "wands"] as const;
const chosenSets = (argValue("--sets") ?? RETRIEVAL_SETS.join(",")).split(",").map((name) => name.trim());
for (const name of chosenSets)
  if (!(RETRIEVAL_SETS as readonly string[]).includes(name))
    throw new Error(`--sets takes a comma-separated list of ${RETRIEVAL_SETS.join(", ")}; got ${name}`);
const retrievalSet = (name: (typeof RETRIEVAL_SETS)[number]) => !conversationsOnly && chosenSets.includes(name);
/**
 * `--neighbours`: the public catalogs are also indexed as other shops of the same database while
 * every set is searched, as in a deployment that serves many shops: a shop's ranking must not
 * depend on what its neighbours sell (decision 145).
 */
const withNeighbours = process.argv.includes("--neighbours");

/** The public conversation sets; a merchant's own with `--conversations FILE` (and `--catalog FILE`). */
const PUBLIC_CONVERSATIONS = ["tools/eval/conversations/demo.json", "tools/eval/conversations/spacire.json"];

interface ConversationSet {
  file: string;
  conversations: ConversationFile;
  /** The catalog file to index; undefined for the demo catalog. */
  catalogFile?: string;
}

/** Every conversation file is read and checked before anything starts: a bad one stops the run with its problems. */
function conversationSets(): ConversationSet[] {
  const own = argValue("--conversations");
  const catalogOverride = argValue("--catalog");
  if (catalogOverride && !own)
    throw new Error("--catalog needs --conversations FILE (your questions, docs/evaluation.md)");
  return (own ? [own] : PUBLIC_CONVERSATIONS)
    .map((file): ConversationSet | undefined => {
      const conversations = readConversationFile(file);
      const catalog = catalogOverride ?? conversations.catalog;
      if (catalog !== "demo" && !existsSync(catalog)) {
        if (own) throw new Error(`${file}: no catalog file ${catalog}`);
        console.log(`\nConversations ${file} skipped: ${catalog} is not present.`);
        return undefined;
      }
      return { file, conversations, catalogFile: catalog === "demo" ? undefined : catalog };
    })
    .filter((set): set is ConversationSet => set !== undefined);
}

interface Variant {
  label: string;
  mode: RetrievalMode;
  understandQuery: boolean;
  /** The product kind asked for filters first (what the chat asks for, decision 126). */
  kindFirst?: boolean;
}

const VARIANTS: Variant[] = [
  { label: "lexical (BM25)", mode: "lexical", understandQuery: true },
  { label: "vector", mode: "vector", understandQuery: true },
  { label: "hybrid (RRF)", mode: "hybrid", understandQuery: true },
  { label: "hybrid, no query understanding", mode: "hybrid", understandQuery: false },
  { label: "hybrid, kind first (chat)", mode: "hybrid", understandQuery: true, kindFirst: true },
];

/** Indexes a data set under its own shop (dropped by the caller). */
async function indexProducts(index: HybridProductIndex, name: string, products: Product[]): Promise<string> {
  const shop = `eval-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.myshopify.com`;
  const started = Date.now();
  for (let i = 0; i < products.length; i += 256) {
    await index.upsert(
      shop,
      products.slice(i, i + 256).map((p) => buildProductDocument(p)),
    );
    process.stderr.write(`\r${name}: indexed ${Math.min(i + 256, products.length)}/${products.length}`);
  }
  process.stderr.write(` in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return shop;
}

async function evaluate(
  backend: string,
  name: string,
  search: ProductSearch,
  shop: string,
  products: Product[],
  queries: { query: string; kind: string; judgements: Judgements }[],
) {
  const rows: { label: string; scores: Scores; byKind: Map<string, Scores[]> }[] = [];
  for (const variant of VARIANTS) {
    const perQuery: Scores[] = [];
    const byKind = new Map<string, Scores[]>();
    for (const { query, kind, judgements } of queries) {
      const result = await search.search({
        shop,
        query,
        limit: K,
        mode: variant.mode,
        understandQuery: variant.understandQuery,
        kindFirst: variant.kindFirst,
      });
      const ranked = result.hits.map((hit) => hit.product.id);
      const scores = {
        recall: recallAt(ranked, judgements, K),
        ndcg: ndcgAt(ranked, judgements, K),
        mrr: reciprocalRank(ranked, judgements),
      };
      perQuery.push(scores);
      if (perQueryFile) {
        appendFileSync(
          perQueryFile,
          `${JSON.stringify({ backend, dataSet: name, variant: variant.label, query, kind, ...scores, ranked })}\n`,
        );
      }
      byKind.set(kind, [...(byKind.get(kind) ?? []), scores]);
    }
    rows.push({ label: variant.label, scores: meanScores(perQuery), byKind });
  }

  const f = (n: number) => n.toFixed(3);
  console.log(`\n### ${name} — ${products.length} products, ${queries.length} queries\n`);
  console.log("| retrieval | recall@10 | nDCG@10 | MRR |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const row of rows)
    console.log(`| ${row.label} | ${f(row.scores.recall)} | ${f(row.scores.ndcg)} | ${f(row.scores.mrr)} |`);
  const kinds = [...rows[0].byKind.keys()];
  if (kinds.length <= 12) {
    console.log(`\nnDCG@10 by query kind:\n`);
    console.log(`| kind (queries) | ${rows.map((r) => r.label).join(" | ")} |`);
    console.log(`| --- | ${rows.map(() => "---:").join(" | ")} |`);
    for (const kind of kinds) {
      const cells = rows.map((row) => f(meanScores(row.byKind.get(kind)!).ndcg));
      console.log(`| ${kind} (${rows[0].byKind.get(kind)!.length}) | ${cells.join(" | ")} |`);
    }
  }
  return rows;
}

/** Plays a conversation set without a model and with the scripted local one; prints the share of turns that pass. */
async function evaluateConversations(
  backend: string,
  name: string,
  search: ProductSearch,
  env: Env,
  shop: string,
  set: ConversationSet,
) {
  const engineOptions = {
    search,
    maxInputChars: env.CHAT_MAX_INPUT_CHARS,
    contextProducts: env.CHAT_CONTEXT_PRODUCTS,
    historyTurns: env.CHAT_HISTORY_TURNS,
  };
  const runs: { label: string; run: ConversationRun; note?: string }[] = [];
  const noModel = new AnswerEngine({ ...engineOptions, chatModel: null });
  runs.push({
    label: "no language model",
    run: await runConversations({ engine: noModel, shop, file: set.conversations }),
  });
  const scripted = await startScriptedModel();
  try {
    const withModel = new AnswerEngine({
      ...engineOptions,
      chatModel: scripted.chatModel,
      rewriteModel: scripted.rewriteModel,
    });
    const run = await runConversations({
      engine: withModel,
      shop,
      file: set.conversations,
      beforeTurn: (turn) => scripted.useRewrite(turn),
    });
    runs.push({
      label: "local model, scripted rewrites",
      run,
      note: `${scripted.rewritesAnswered} rewrite calls answered`,
    });
  } finally {
    await scripted.close();
  }

  const turns = runs[0].run.turns.length;
  console.log(
    `\n### Conversations: ${name} — ${set.conversations.conversations.length} conversations, ${turns} turns (${set.file})\n`,
  );
  console.log("| answers | turns passing | conversations fully passing | |");
  console.log("| --- | ---: | ---: | --- |");
  for (const { label, run, note } of runs)
    console.log(`| ${label} | ${passShare(run)} | ${run.conversationsPassed}/${run.conversations} | ${note ?? ""} |`);
  for (const { label, run } of runs) {
    const failed = run.turns.filter((t) => !t.pass);
    if (!failed.length) continue;
    console.log(
      `\nFailing turns, ${label} (first 12 of ${failed.length}${perTurnFile ? `; all in ${perTurnFile}` : "; --per-turn FILE lists all"}):`,
    );
    for (const t of failed.slice(0, 12))
      console.log(
        `- ${t.conversation} #${t.turn} "${t.say}": ${t.failures.join(" | ").replace(/\s+/g, " ").slice(0, 300)}`,
      );
  }
  if (perTurnFile) {
    for (const { label, run } of runs)
      for (const t of run.turns)
        appendFileSync(perTurnFile, `${JSON.stringify({ backend, dataSet: name, answers: label, ...t })}\n`);
  }
  return runs;
}

for (const backend of backendsFromArgs()) {
  const embeddings = (env: Parameters<typeof createEmbeddings>[0]) => withEmbeddingCache(createEmbeddings(env));
  await withSearchStack({ backend, env: process.env, embeddings }, async ({ index, embeddings, db, env: stackEnv }) => {
    console.log(
      `\n## Back end ${backend}; embeddings: ${embeddings.descriptor.provider} ${embeddings.descriptor.model}; k = ${K}`,
    );
    const search = new ProductSearch({ index, cacheSize: 0 });
    const own = argValue("--conversations") !== undefined;
    const sets = retrievalOnly ? [] : conversationSets();
    // One line per data set at the end: retrieval nDCG@10 beside the share of conversation turns that pass.
    const summary = new Map<string, { ndcg?: number[]; turns?: string[] }>();
    const retrieval = async (
      name: string,
      shop: string,
      products: Product[],
      queries: Parameters<typeof evaluate>[5],
    ) => {
      const rows = await evaluate(backend, name, search, shop, products, queries);
      summary.set(name, { ...summary.get(name), ndcg: rows.slice(0, 3).map((row) => row.scores.ndcg) });
    };
    const conversations = async (name: string, shop: string, set: ConversationSet) => {
      const runs = await evaluateConversations(backend, name, search, stackEnv, shop, set);
      summary.set(name, { ...summary.get(name), turns: runs.map(({ run }) => passShare(run)) });
    };
    const neighbours: string[] = [];
    if (withNeighbours) {
      const catalogs: [string, () => Product[]][] = [["demo", demoCatalog]];
      if (spacireAvailable()) catalogs.push(["spacire", spacireProducts]);
      if (wandsAvailable()) catalogs.push(["wands", wandsProducts]);
      for (const [name, products] of catalogs)
        neighbours.push(await indexProducts(index, `neighbour ${name}`, products()));
    }
    if (!own) {
      const demo = demoCatalog();
      const shop = await indexProducts(index, "demo catalog", demo);
      if (retrievalSet("demo")) await retrieval("demo catalog", shop, demo, demoQuerySet(demo));
      for (const set of sets.filter((s) => !s.catalogFile)) await conversations("demo catalog", shop, set);
      await index.dropShop(shop);
      if (retrievalSet("demo")) printKnowledgeReport(await answerKnowledgeQuestions(db, index, embeddings, demo));
      if (retrievalSet("spacire") && spacireAvailable()) {
        const products = spacireProducts();
        const spacireShop = await indexProducts(index, "spacire", products);
        await retrieval("spacire", spacireShop, products, spacireQuerySet(products));
        await index.dropShop(spacireShop);
      } else if (retrievalSet("spacire")) {
        console.log(`\nspacire skipped: ${SPACIRE_CATALOG} is not present.`);
      }
      if (retrievalSet("wands") && wandsAvailable()) {
        const products = wandsProducts();
        const wandsShop = await indexProducts(index, "WANDS (40-query pool)", products);
        await retrieval("WANDS (40-query pool)", wandsShop, products, wandsQuerySet());
        await index.dropShop(wandsShop);
      } else if (retrievalSet("wands")) {
        console.log("\nWANDS skipped: ../shared/data/wands-eval is not present.");
      }
    }
    for (const set of sets.filter((s) => own || s.catalogFile)) {
      const name = set.catalogFile
        ? `${path.basename(set.file, ".json")} (${path.basename(set.catalogFile)})`
        : "demo catalog";
      const { products, report } = set.catalogFile
        ? catalogFileProducts(set.catalogFile)
        : { products: demoCatalog(), report: undefined };
      if (report) console.log(`\n${formatCatalogReport(report, report.read)}`);
      const shop = await indexProducts(index, name, products);
      await conversations(name, shop, set);
      await index.dropShop(shop);
    }

    for (const shop of neighbours) await index.dropShop(shop);
    const f = (n: number | undefined) => (n === undefined ? "–" : n.toFixed(3));
    console.log(`\n### Summary (${backend})\n`);
    console.log(
      "| data set | nDCG@10 lexical | vector | hybrid | turns passing, no model | turns passing, local model |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const [name, { ndcg, turns }] of summary)
      console.log(
        `| ${name} | ${f(ndcg?.[0])} | ${f(ndcg?.[1])} | ${f(ndcg?.[2])} | ${turns?.[0] ?? "–"} | ${turns?.[1] ?? "–"} |`,
      );
    // Issue 16's bar: fusion never loses to its own parts, in the same run.
    const losing = [...summary].filter(([, { ndcg }]) => ndcg && ndcg[2] < Math.max(ndcg[0], ndcg[1]));
    if ([...summary.values()].some(({ ndcg }) => ndcg))
      console.log(
        losing.length
          ? `\nHybrid below its best part on: ${losing.map(([name]) => name).join(", ")}.`
          : "\nHybrid at or above max(lexical, vector) on every retrieval set.",
      );
  });
}
