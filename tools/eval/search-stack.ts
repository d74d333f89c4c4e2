// A throwaway search stack for evaluation and benchmarks: a Chroma server and a migrated SQLite
// registry in a temporary directory, the product index over them, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv, type Env } from "../../app/lib/config/env-schema";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { ChromaProductIndex } from "../../app/lib/search/chroma-product-index.server";
import { createEmbeddings, type EmbeddingsProvider } from "../../app/lib/search/embeddings.server";
import { startChroma } from "../chroma/chroma-process";
import { migrateDatabase } from "../lib/database";
import { freePort } from "../lib/ports";

export interface SearchStack {
  env: Env;
  index: ChromaProductIndex;
  embeddings: EmbeddingsProvider;
}

export async function withSearchStack<T>(
  options: {
    env?: Record<string, string | undefined>;
    embeddings?: (env: Env) => EmbeddingsProvider;
    batchSize?: number;
  },
  run: (stack: SearchStack) => Promise<T>,
): Promise<T> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-search-stack-"));
  const chroma = await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
  try {
    const databaseUrl = `file:${path.join(workDir, "search.sqlite")}`;
    await migrateDatabase(databaseUrl);
    const env = parseEnv({
      SHOPIFY_API_KEY: "search-stack",
      SHOPIFY_API_SECRET: "search-stack",
      SHOPIFY_APP_URL: "https://aisle.example.com",
      ...options.env,
      CHROMA_URL: chroma.url,
      DATABASE_URL: databaseUrl,
    });
    const embeddings = (options.embeddings ?? createEmbeddings)(env);
    const index = new ChromaProductIndex({
      db: createPrismaClient(databaseUrl),
      chroma: createChromaClient(env),
      embeddings,
      batchSize: options.batchSize,
    });
    return await run({ env, index, embeddings });
  } finally {
    await chroma.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
