// Real parts for search tests: the global Chroma server, a fresh migrated SQLite database and the
// local (offline) embedder. Each context uses its own shop domains, so test files never collide.
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { parseEnv } from "../../app/lib/config/env-schema";
import { createChromaClient } from "../../app/lib/search/chroma.server";
import { ChromaProductIndex } from "../../app/lib/search/chroma-product-index.server";
import { createEmbeddings, type EmbeddingsProvider } from "../../app/lib/search/embeddings.server";
import { createTestDatabase } from "../helpers/database";

export function testEnv(extra: Record<string, string> = {}) {
  return parseEnv({
    SHOPIFY_API_KEY: "test-key",
    SHOPIFY_API_SECRET: "test-secret",
    SHOPIFY_APP_URL: "https://aisle.example.com",
    CHROMA_URL: inject("chromaUrl"),
    EMBEDDINGS_PROVIDER: "local",
    LLM_PROVIDER: "none",
    ...extra,
  });
}

export function createSearchTestContext(embeddings?: EmbeddingsProvider) {
  const env = testEnv();
  const { prisma } = createTestDatabase();
  const chroma = createChromaClient(env);
  const provider = embeddings ?? createEmbeddings(env);
  const index = new ChromaProductIndex({ db: prisma, chroma, embeddings: provider });
  const shop = (name: string) => `${name}-${randomUUID().slice(0, 8)}.myshopify.com`;
  return { env, prisma, chroma, embeddings: provider, index, shop };
}
