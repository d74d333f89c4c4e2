// Real parts for search tests, on either search back end: SQLite + Chroma (the embedded default) or
// Postgres + pgvector (several instances). Each context gets a fresh migrated database, the run's
// vector server (Chroma, or pgvector on PGlite / TEST_PGVECTOR_URL) and the local (offline)
// embedder; shop domains are unique per context, so test files never collide.
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { parseEnv } from "../../app/lib/config/env-schema";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { createEmbeddings, type EmbeddingsProvider } from "../../app/lib/search/embeddings.server";
import { createProductIndex, createVectorStore } from "../../app/lib/search/search-stores.server";
import { createTestDatabase } from "../helpers/database";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";

export type SearchBackend = "sqlite+chroma" | "postgres+pgvector";

/** The back ends this run can test: Postgres + pgvector needs TEST_POSTGRES_URL (`npm test` provides it). */
export function searchBackends(): SearchBackend[] {
  return postgresAvailable() ? ["sqlite+chroma", "postgres+pgvector"] : ["sqlite+chroma"];
}

export function testEnv(extra: Record<string, string> = {}) {
  return parseEnv({
    SHOPIFY_API_KEY: "test-key",
    SHOPIFY_API_SECRET: "test-secret",
    SHOPIFY_APP_URL: "https://aisle.example.com",
    CHROMA_URL: inject("chromaUrl"),
    PGVECTOR_URL: inject("pgvectorUrl"),
    EMBEDDINGS_PROVIDER: "local",
    LLM_PROVIDER: "none",
    ...extra,
  });
}

export type SearchTestContext = Awaited<ReturnType<typeof createSearchTestContext>>;

export async function createSearchTestContext(
  backend: SearchBackend = "sqlite+chroma",
  embeddings?: EmbeddingsProvider,
) {
  const database =
    backend === "sqlite+chroma"
      ? { ...createTestDatabase(), drop: async () => {} }
      : await createPostgresTestDatabase();
  const env = testEnv({
    DATABASE_URL: database.url,
    VECTOR_STORE: backend === "sqlite+chroma" ? "chroma" : "pgvector",
  });
  const provider = embeddings ?? createEmbeddings(env);
  const vectors = createVectorStore(env);
  const index = createProductIndex({ env, db: database.prisma, vectors, embeddings: provider });
  const shop = (name: string) => `${name}-${randomUUID().slice(0, 8)}.myshopify.com`;
  const instances: { close(): Promise<void> }[] = [];
  /** Another app instance: its own database connection and vector-store client, the same data. */
  const otherInstance = () => {
    const db = createPrismaClient(database.url);
    const otherVectors = createVectorStore(env);
    instances.push({ close: async () => (await otherVectors.close(), await db.$disconnect()) });
    return createProductIndex({ env, db, vectors: otherVectors, embeddings: provider });
  };
  const close = async () => {
    for (const instance of instances) await instance.close();
    await vectors.close();
    await database.drop();
  };
  return { backend, env, prisma: database.prisma, embeddings: provider, vectors, index, shop, otherInstance, close };
}
