// `npx tsx tools/bench/catalog-store-bench.ts [size]` (TEST_POSTGRES_URL adds Postgres): the SQL
// catalog store on a fresh database: writing `size` demo products in batches of 500 (one
// transaction each), rewriting them (the sync path: rows replaced), editing every product's
// description (its full-text entry replaced), and query latency of lexical,
// filtered and exact-code look-ups. Results: docs/decisions/096.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createCatalogStore, type CatalogDialect } from "../../app/lib/search/sql-catalog-store.server";
import { demoProducts } from "../emulator/catalog/demo-catalog";
import { toProduct } from "../eval/demo-catalog-products";
import { migrateDatabase } from "../lib/database";
import { databaseUrl, dropDatabase, postgresAdmin } from "../lib/postgres-admin";

const SIZE = Number(process.argv[2]) || 10_000;
const BATCH = 500;
const SHOP = "bench.myshopify.com";
const QUERIES = ["waterproof jacket", "tent", "merino wool socks", "lantern", "running shoes blue", "gift"];

const products = demoProducts(SIZE).map((product, i) => toProduct(product, i));
const documents = products.map((product) => buildProductDocument(product));
/** A copy edit of every product: the text changes, so the full-text entries are replaced. */
const edited = products.map((product) =>
  buildProductDocument({ ...product, descriptionHtml: `${product.descriptionHtml}<p>Revised care notes.</p>` }),
);

function percentile(samples: number[], p: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
}

async function time<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  samples.push(performance.now() - start);
  return result;
}

async function bench(dialect: CatalogDialect, url: string): Promise<void> {
  await migrateDatabase(url);
  const prisma = createPrismaClient(url);
  const store = createCatalogStore(prisma, dialect);
  await prisma.searchIndex.create({ data: { shop: SHOP, activeCollection: "c", provider: "p", model: "m" } });
  const passes = { insert: documents, rewrite: documents, edit: edited };
  for (const [pass, written] of Object.entries(passes)) {
    const batches: number[] = [];
    const start = performance.now();
    for (let i = 0; i < written.length; i += BATCH) {
      await time(batches, () => store.write(SHOP, written.slice(i, i + BATCH)));
    }
    const total = (performance.now() - start) / 1000;
    console.log(
      `${dialect} ${pass} ${written.length}: ${total.toFixed(1)} s, ${(documents.length / total).toFixed(0)} products/s, ` +
        `batch of ${BATCH} p50 ${percentile(batches, 50)} ms p95 ${percentile(batches, 95)} ms`,
    );
  }
  const lexical: number[] = [];
  const filteredLexical: number[] = [];
  const filtered: number[] = [];
  const codes: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const query of QUERIES) {
      await time(lexical, () => store.lexical(SHOP, query, {}, 50));
      await time(filteredLexical, () => store.lexical(SHOP, query, { maxPrice: 80, inStock: true }, 50));
      await time(filtered, () => store.filtered(SHOP, { maxPrice: 80, inStock: true, sort: "price_asc" }, 50));
      await time(codes, () => store.exactCodes(SHOP, [query, documents[round].metadata.handle]));
    }
  }
  for (const [name, samples] of Object.entries({ lexical, filteredLexical, filtered, codes })) {
    console.log(`${dialect} ${name}: p50 ${percentile(samples, 50)} ms p95 ${percentile(samples, 95)} ms`);
  }
  await prisma.$disconnect();
}

const dir = mkdtempSync(path.join(os.tmpdir(), "aisle-catalog-bench-"));
try {
  await bench("sqlite", `file:${path.join(dir, "bench.sqlite")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const adminUrl = process.env.TEST_POSTGRES_URL;
if (adminUrl) {
  const database = `aisle_bench_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(adminUrl, `CREATE DATABASE ${database}`);
  try {
    await bench("postgresql", databaseUrl(adminUrl, database));
  } finally {
    await dropDatabase(adminUrl, database);
  }
}
