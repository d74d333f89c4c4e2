// `npx tsx tools/eval/relevance-floor.ts [-- --wands]`: how often the answer engine's relevance floor
// (app/lib/chat/relevance-floor.ts, decision 126) would say "we don't seem to carry …" on query sets
// whose every query has relevant products — each time it does is a wrong "none". Also asks a few
// things the demo shop does not sell, where saying so is right. Measures only; nothing is tuned here.
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import { notCarried } from "../../app/lib/chat/relevance-floor";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { withEmbeddingCache } from "./cached-embeddings";
import { demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { withSearchStack } from "./search-stack";
import { wandsAvailable, wandsProducts, wandsQuerySet } from "./wands";

/** Things an outdoor shop does not sell: the floor should fire. */
const NOT_SOLD = ["do you sell kayaks?", "surfboards", "a coffee grinder", "wedding dresses", "car tyres"];

async function index(idx: HybridProductIndex, shop: string, products: Product[]) {
  for (let i = 0; i < products.length; i += 256) {
    await idx.upsert(
      shop,
      products.slice(i, i + 256).map((p) => buildProductDocument(p)),
    );
  }
}

async function floorCount(search: ProductSearch, shop: string, queries: string[]) {
  const fired: string[] = [];
  for (const query of queries) {
    // As the answer engine asks: hybrid, query understanding on, its context size.
    const result = await search.search({ shop, query, limit: 6, kindFirst: true });
    if (notCarried(result)) fired.push(query);
  }
  return fired;
}

const withWands = process.argv.includes("--wands");
await withSearchStack(
  { env: process.env, embeddings: (env) => withEmbeddingCache(createEmbeddings(env)) },
  async ({ index: idx }) => {
    const search = new ProductSearch({ index: idx, cacheSize: 0 });
    const demo = demoCatalog();
    await index(idx, "floor-demo.myshopify.com", demo);
    const demoQueries = demoQuerySet(demo).map((q) => q.query);
    const wrong = await floorCount(search, "floor-demo.myshopify.com", demoQueries);
    const right = await floorCount(search, "floor-demo.myshopify.com", NOT_SOLD);
    console.log(
      `Demo catalog: "none" on ${wrong.length}/${demoQueries.length} answerable queries ${JSON.stringify(wrong)}`,
    );
    console.log(
      `Demo catalog: "none" on ${right.length}/${NOT_SOLD.length} things it does not sell ${JSON.stringify(right)}`,
    );
    if (withWands && wandsAvailable()) {
      await index(idx, "floor-wands.myshopify.com", wandsProducts());
      const queries = wandsQuerySet().map((q) => q.query);
      const fired = await floorCount(search, "floor-wands.myshopify.com", queries);
      console.log(`WANDS: "none" on ${fired.length}/${queries.length} answerable queries ${JSON.stringify(fired)}`);
    }
  },
);
