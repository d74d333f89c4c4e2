// A throwaway search stack for evaluation and benchmarks, on either search back end:
// `sqlite-chroma` (a migrated SQLite file and a Chroma server in a temporary directory) or
// `postgres-pgvector` (a fresh migrated database on the machine's Postgres — TEST_POSTGRES_URL or
// tools/ensure-postgres.sh — and a local pgvector server on PGlite, or TEST_PGVECTOR_URL).
// Everything is removed afterwards.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { parseEnv, type Env } from "../../app/lib/config/env-schema";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createEmbeddings, type EmbeddingsProvider } from "../../app/lib/search/embeddings.server";
import type { HybridProductIndex } from "../../app/lib/search/hybrid-product-index.server";
import { createProductIndex, createVectorStore } from "../../app/lib/search/search-stores.server";
import { startChroma } from "../chroma/chroma-process";
import { startPgvector } from "../pgvector/pgvector-process";
import { migrateDatabase } from "../lib/database";
import { freePort } from "../lib/ports";
import { databaseUrl, dropDatabase, postgresAdmin } from "../lib/postgres-admin";

export type SearchBackendName = "sqlite-chroma" | "postgres-pgvector";
export const SEARCH_BACKEND_NAMES: SearchBackendName[] = ["sqlite-chroma", "postgres-pgvector"];

/** `--backend sqlite-chroma|postgres-pgvector|all` from the command line (default: sqlite-chroma). */
export function backendsFromArgs(argv = process.argv): SearchBackendName[] {
  const i = argv.indexOf("--backend");
  const value = i > 0 ? argv[i + 1] : "sqlite-chroma";
  if (value === "all") return SEARCH_BACKEND_NAMES;
  if (!SEARCH_BACKEND_NAMES.includes(value as SearchBackendName)) {
    throw new Error(`--backend must be one of ${SEARCH_BACKEND_NAMES.join(", ")} or all; got ${value}`);
  }
  return [value as SearchBackendName];
}

export interface SearchBackendServers {
  /** DATABASE_URL, VECTOR_STORE and the vector server's URL for parseEnv. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts what a back end needs (migrated database, vector server) in `workDir`. `keep`: leave the
 * data in place at stop and reuse what an earlier run left there (its Postgres database is named in
 * the directory), so a large index is built once and measured again later.
 */
export async function startSearchBackend(
  backend: SearchBackendName,
  workDir: string,
  keep = false,
): Promise<SearchBackendServers> {
  if (backend === "sqlite-chroma") {
    const chroma = await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
    const databaseUrl = `file:${path.join(workDir, "search.sqlite")}`;
    await migrateDatabase(databaseUrl);
    return { env: { DATABASE_URL: databaseUrl, CHROMA_URL: chroma.url, VECTOR_STORE: "chroma" }, stop: chroma.stop };
  }
  const adminUrl =
    process.env.TEST_POSTGRES_URL || execFileSync("bash", ["tools/ensure-postgres.sh"], { encoding: "utf8" }).trim();
  if (!adminUrl)
    throw new Error("postgres-pgvector needs a Postgres: set TEST_POSTGRES_URL (see tools/ensure-postgres.sh)");
  const kept = path.join(workDir, "postgres-database");
  const database =
    keep && existsSync(kept) ? readFileSync(kept, "utf8").trim() : `aisle_bench_${randomBytes(4).toString("hex")}`;
  if (!keep || !existsSync(kept)) {
    await postgresAdmin(adminUrl, `CREATE DATABASE ${database}`);
    if (keep) writeFileSync(kept, database);
  }
  const url = databaseUrl(adminUrl, database);
  await migrateDatabase(url);
  const pgvector = process.env.TEST_PGVECTOR_URL
    ? { url: process.env.TEST_PGVECTOR_URL, stop: async () => {} }
    : await startPgvector({
        dataDir: path.join(workDir, "pgvector"),
        port: await freePort(),
        quiet: true,
        // Sized like a production server for the largest catalogs measured here: the HNSW graph of
        // 100,000 products is 260 MB, and pgvector wants the graph in shared buffers (decision 140).
        sharedBuffers: "512MB",
      });
  return {
    env: { DATABASE_URL: url, VECTOR_STORE: "pgvector", PGVECTOR_URL: pgvector.url },
    stop: async () => {
      await pgvector.stop();
      if (!keep) await dropDatabase(adminUrl, database);
    },
  };
}

export interface SearchStack {
  backend: SearchBackendName;
  env: Env;
  index: HybridProductIndex;
  embeddings: EmbeddingsProvider;
  /** The stack's app database (store knowledge lives there beside the catalog). */
  db: PrismaClient;
}

/**
 * Postgres only: the server's shared_buffers beside the size of the tables a search reads (rows,
 * full-text index, option look-ups), so a benchmark says whether the catalog was served from
 * Postgres' own memory (decision 141). Null on SQLite.
 */
export async function describeAppDatabase(stack: Pick<SearchStack, "backend" | "db">): Promise<string | null> {
  if (stack.backend !== "postgres-pgvector") return null;
  const [row] = await stack.db.$queryRawUnsafe<{ buffers: string; searched: string }[]>(
    `SELECT current_setting('shared_buffers') AS buffers,
       pg_size_pretty(pg_total_relation_size('"SearchProduct"') + pg_total_relation_size('"SearchProductOption"')) AS searched`,
  );
  return `app database: shared_buffers ${row.buffers}, search tables ${row.searched}`;
}

export async function withSearchStack<T>(
  options: {
    backend?: SearchBackendName;
    env?: Record<string, string | undefined>;
    embeddings?: (env: Env) => EmbeddingsProvider;
    /** Keep the stack's data in this directory (one per back end) and reuse it next time. */
    keepDir?: string;
  },
  run: (stack: SearchStack) => Promise<T>,
): Promise<T> {
  const backend = options.backend ?? "sqlite-chroma";
  const keepDir = options.keepDir ? path.resolve(options.keepDir, backend) : undefined;
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  const workDir = keepDir ?? mkdtempSync(path.join(os.tmpdir(), "aisle-search-stack-"));
  const servers = await startSearchBackend(backend, workDir, keepDir !== undefined);
  const env = parseEnv({
    SHOPIFY_API_KEY: "search-stack",
    SHOPIFY_API_SECRET: "search-stack",
    SHOPIFY_APP_URL: "https://aisle.example.com",
    ...options.env,
    ...servers.env,
  });
  const db = createPrismaClient(env.DATABASE_URL);
  const vectors = createVectorStore(env);
  const embeddings = (options.embeddings ?? createEmbeddings)(env);
  const index = createProductIndex({ env, db, vectors, embeddings });
  try {
    // As the app at boot: the ranking thread starts, and a kept SQLite database from before decision
    // 145 gets its shops' full-text tables back.
    const started = Date.now();
    await index.catalog.ready();
    if (Date.now() - started > 1000)
      console.error(`search catalog ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return await run({ backend, env, index, embeddings, db });
  } finally {
    await index.catalog.close();
    await vectors.close();
    await db.$disconnect();
    await servers.stop();
    if (!keepDir) rmSync(workDir, { recursive: true, force: true });
  }
}
