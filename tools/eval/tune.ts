// `npx tsx tools/eval/tune.ts [--backend …]`: fusion settings explored on the demo catalog's and the
// spacire catalog's query sets only (WANDS stays held out). Prints nDCG@10 of lexical, vector and
// hybrid per setting and set; decision 130 records the choice.
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import {
  ProductSearch,
  type ProductSearchOptions,
  type RetrievalMode,
} from "../../app/lib/search/product-search.server";
import { withEmbeddingCache } from "./cached-embeddings";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { meanScores, ndcgAt, recallAt, reciprocalRank, type Judgements } from "./metrics";
import { backendsFromArgs, withSearchStack } from "./search-stack";
import { spacireAvailable, spacireProducts, spacireQuerySet } from "./spacire-queries";

type Setting = Omit<ProductSearchOptions, "index" | "log">;

const SETTINGS: { label: string; options: Setting }[] = [
  { label: "RRF 1/0.6", options: { namedFirst: false } },
  { label: "RRF 1/0.6, named first", options: { namedFirst: true } },
  { label: "RRF 1/1, named first", options: { namedFirst: true, vectorWeight: 1 } },
];
const MODES: RetrievalMode[] = ["lexical", "vector", "hybrid"];

for (const backend of backendsFromArgs()) {
  const embeddings = (env: Parameters<typeof createEmbeddings>[0]) => withEmbeddingCache(createEmbeddings(env));
  await withSearchStack({ backend, env: process.env, embeddings }, async ({ index }) => {
    const sets: {
      name: string;
      products: () => Product[];
      queries: (products: Product[]) => { query: string; judgements: Judgements }[];
    }[] = [
      { name: "demo", products: demoCatalog, queries: demoQuerySet },
      ...(spacireAvailable() ? [{ name: "spacire", products: spacireProducts, queries: spacireQuerySet }] : []),
    ];
    const results = new Map<string, string[]>(SETTINGS.map(({ label }) => [label, []]));
    // One set indexed at a time, as `npm run eval` does: full-text statistics span every shop of the database.
    for (const set of sets) {
      const products = set.products();
      const queries = set.queries(products);
      const shop = `tune-${set.name}.myshopify.com`;
      for (let i = 0; i < products.length; i += 256)
        await index.upsert(
          shop,
          products.slice(i, i + 256).map((p) => buildProductDocument(p)),
        );
      for (const { label, options } of SETTINGS) {
        const search = new ProductSearch({ index, cacheSize: 0, ...options });
        for (const mode of MODES) {
          const rows = [];
          for (const { query, judgements } of queries) {
            const ranked = (await search.search({ shop, query, limit: 10, mode })).hits.map((h) => h.product.id);
            rows.push({
              recall: recallAt(ranked, judgements, 10),
              ndcg: ndcgAt(ranked, judgements, 10),
              mrr: reciprocalRank(ranked, judgements),
            });
          }
          results.get(label)!.push(meanScores(rows).ndcg.toFixed(3));
        }
      }
      await index.dropShop(shop);
    }
    console.log(`\n## ${backend}\n`);
    console.log(`| setting | ${sets.map((s) => `${s.name} lexical | vector | hybrid`).join(" | ")} |`);
    console.log(`| --- | ${sets.map(() => "---: | ---: | ---:").join(" | ")} |`);
    for (const [label, cells] of results) console.log(`| ${label} | ${cells.join(" | ")} |`);
  });
}
