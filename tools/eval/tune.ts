// `npx tsx tools/eval/tune.ts`: fusion weights and RRF k explored on the demo catalog's query set
// only (WANDS stays held out). Prints nDCG@10 per setting; docs/evaluation.md records the choice.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { parseEnv } from "../../app/lib/config/env-schema";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { ChromaProductIndex } from "../../app/lib/search/chroma-product-index.server";
import { createEmbeddings } from "../../app/lib/search/embeddings.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { startChroma } from "../chroma/chroma-process";
import { migrateDatabase } from "../lib/database";
import { freePort } from "../lib/ports";
import { demoCatalog } from "./demo-catalog-products";
import { demoQuerySet } from "./demo-queries";
import { meanScores, ndcgAt, recallAt, reciprocalRank } from "./metrics";

const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-tune-"));
const chroma = await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
try {
  const url = `file:${path.join(workDir, "tune.sqlite")}`;
  await migrateDatabase(url);
  const env = parseEnv({
    SHOPIFY_API_KEY: "t",
    SHOPIFY_API_SECRET: "t",
    SHOPIFY_APP_URL: "https://a.example.com",
    CHROMA_URL: chroma.url,
    DATABASE_URL: url,
    EMBEDDINGS_PROVIDER: "local",
  });
  const index = new ChromaProductIndex({
    db: createPrismaClient(url),
    chroma: createChromaClient(env),
    embeddings: createEmbeddings(env),
  });
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
} finally {
  await chroma.stop();
  rmSync(workDir, { recursive: true, force: true });
}
