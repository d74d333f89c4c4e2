// `npx tsx tools/eval/tune.ts`: fusion weights and RRF k explored on the demo catalog's query set
// only (WANDS stays held out). Prints nDCG@10 per setting; docs/evaluation.md records the choice.
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { meanScores, ndcgAt, recallAt, reciprocalRank } from "./metrics";
import { withSearchStack } from "./search-stack";

await withSearchStack({ env: { EMBEDDINGS_PROVIDER: "local" } }, async ({ index }) => {
  const products = demoCatalog();
  const shop = "tune.myshopify.com";
  await index.upsert(
    shop,
    products.map((p) => buildProductDocument(p)),
  );
  const queries = demoQuerySet(products);
  for (const vectorWeight of [1, 0.8, 0.6, 0.5, 0.4]) {
    for (const rrfK of [60, 20]) {
      for (const understandQuery of [true, false]) {
        const search = new ProductSearch({ index, cacheSize: 0, vectorWeight, rrfK });
        const rows = [];
        for (const { query, judgements } of queries) {
          const ranked = (await search.search({ shop, query, limit: 10, understandQuery })).hits.map(
            (h) => h.product.id,
          );
          rows.push({
            recall: recallAt(ranked, judgements, 10),
            ndcg: ndcgAt(ranked, judgements, 10),
            mrr: reciprocalRank(ranked, judgements),
          });
        }
        const m = meanScores(rows);
        console.log(
          `vectorWeight=${vectorWeight} k=${rrfK} understand=${understandQuery}: nDCG ${m.ndcg.toFixed(3)} recall ${m.recall.toFixed(3)} MRR ${m.mrr.toFixed(3)}`,
        );
      }
    }
  }
});
