// Which stores search runs on, from configuration: the catalog in the app database (SQLite FTS5 or
// Postgres full-text search, decided by DATABASE_URL) and the vectors in Chroma or pgvector
// (VECTOR_STORE). The composition root, tools and tests build the search stack through these.
import type { PrismaClient } from "@prisma/client";
import type { Env } from "../config/env-schema";
import { databaseFlavour, redactUrl } from "../db/database-url";
import { sqliteFilePath } from "../db/sqlite-file.server";
import { SqliteReadThread } from "../db/sqlite-read-thread.server";
import type { Logger } from "../logger.server";
import type { CatalogStore } from "./catalog-store";
import { createChromaClient } from "./chroma.server";
import { ChromaVectorStore } from "./chroma-vector-store.server";
import type { EmbeddingsProvider } from "./embeddings.server";
import { HybridProductIndex } from "./hybrid-product-index.server";
import { PgvectorVectorStore } from "./pgvector-vector-store.server";
import { createCatalogStore } from "./sql-catalog-store.server";
import type { ProductVectorStore } from "./vector-store";

type VectorStoreSettings = Pick<
  Env,
  | "VECTOR_STORE"
  | "PGVECTOR_URL"
  | "PGVECTOR_POOL_SIZE"
  | "VECTOR_COLLECTION_CACHE"
  | "DATABASE_URL"
  | "CHROMA_URL"
  | "CHROMA_TENANT"
  | "CHROMA_DATABASE"
  | "CHROMA_API_KEY"
>;

export function createVectorStore(env: VectorStoreSettings): ProductVectorStore {
  if (env.VECTOR_STORE === "pgvector") {
    // The env schema guarantees one of the two is a Postgres URL.
    const url = env.PGVECTOR_URL ?? env.DATABASE_URL;
    return new PgvectorVectorStore({
      connection: { url, maxConnections: env.PGVECTOR_POOL_SIZE },
      location: redactUrl(url),
    });
  }
  return new ChromaVectorStore({
    client: createChromaClient(env),
    cacheSize: env.VECTOR_COLLECTION_CACHE,
    location: env.CHROMA_URL,
  });
}

/**
 * On SQLite, the full-text ranking runs on a read-only connection in a thread of its own (decision
 * 143): better-sqlite3 would rank on the event loop. Postgres ranks in its own server process. An
 * in-memory SQLite database exists only on the app's connection, so it ranks there.
 */
export function createCatalogStoreFor(db: PrismaClient, databaseUrl: string): CatalogStore {
  if (databaseFlavour(databaseUrl) === "postgres") return createCatalogStore(db, "postgresql");
  return sqliteFilePath(databaseUrl) === ":memory:"
    ? createCatalogStore(db, "sqlite")
    : createCatalogStore(db, "sqlite", new SqliteReadThread(databaseUrl));
}

export function createProductIndex(options: {
  env: Pick<Env, "DATABASE_URL">;
  db: PrismaClient;
  vectors: ProductVectorStore;
  embeddings: EmbeddingsProvider;
  log?: Logger;
}): HybridProductIndex {
  return new HybridProductIndex({
    db: options.db,
    catalog: createCatalogStoreFor(options.db, options.env.DATABASE_URL),
    vectors: options.vectors,
    embeddings: options.embeddings,
    log: options.log,
  });
}
