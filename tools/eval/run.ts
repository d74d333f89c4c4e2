// `npm run eval [-- --backend sqlite-chroma|postgres-pgvector|all]`: retrieval quality of
// lexical-only, vector-only and hybrid search side by side (recall@10, nDCG@10, MRR) on the demo
// catalog's labelled queries and on WANDS when present, then store-knowledge answers on the demo shop
// (tools/eval/knowledge-eval.ts). Uses the real stack of each back end
// (tools/eval/search-stack.ts) and the configured embedder (local USE-lite unless EMBEDDINGS_* say
// otherwise; vectors are cached on disk, tools/eval/cached-embeddings.ts). Results:
// docs/evaluation.md. `--per-query FILE` also writes every query's scores (JSON lines), to compare
// back ends query by query.
import { appendFileSync, writeFileSync } from "node:fs";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { ProductSearch, type RetrievalMode } from "../../app/lib/search/product-search.server";
import { demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { answerKnowledgeQuestions, printKnowledgeReport } from "./knowledge-eval";
import { meanScores, ndcgAt, recallAt, reciprocalRank, type Judgements, type Scores } from "./metrics";
import { withEmbeddingCache } from "./cached-embeddings";
import { backendsFromArgs, withSearchStack } from "./search-stack";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { wandsAvailable, wandsProducts, wandsQuerySet } from "./wands";

const K = 10;

const perQueryArg = process.argv.indexOf("--per-query");
const perQueryFile = perQueryArg > 0 ? process.argv[perQueryArg + 1] : undefined;
if (perQueryFile) writeFileSync(perQueryFile, "");

interface Variant {
  label: string;
  mode: RetrievalMode;
  understandQuery: boolean;
}

const VARIANTS: Variant[] = [
  { label: "lexical (BM25)", mode: "lexical", understandQuery: true },
  { label: "vector", mode: "vector", understandQuery: true },
  { label: "hybrid (RRF)", mode: "hybrid", understandQuery: true },
  { label: "hybrid, no query understanding", mode: "hybrid", understandQuery: false },
];

async function evaluate(
  backend: string,
  name: string,
  search: ProductSearch,
  index: HybridProductIndex,
  products: Product[],
  queries: { query: string; kind: string; judgements: Judgements }[],
) {
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
  await index.dropShop(shop);
  return rows;
}

for (const backend of backendsFromArgs()) {
  const embeddings = (env: Parameters<typeof createEmbeddings>[0]) => withEmbeddingCache(createEmbeddings(env));
  await withSearchStack({ backend, env: process.env, embeddings }, async ({ index, embeddings, db }) => {
    console.log(
      `\n## Back end ${backend}; embeddings: ${embeddings.descriptor.provider} ${embeddings.descriptor.model}; k = ${K}`,
    );
    const search = new ProductSearch({ index, cacheSize: 0 });
    const demo = demoCatalog();
    await evaluate(backend, "Demo catalog", search, index, demo, demoQuerySet(demo));
    printKnowledgeReport(await answerKnowledgeQuestions(db, index, embeddings, demo));
    if (wandsAvailable()) {
      await evaluate(backend, "WANDS (40-query pool)", search, index, wandsProducts(), wandsQuerySet());
    } else {
      console.log("\nWANDS skipped: ../shared/data/wands-eval is not present.");
    }
  });
}
