import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseFlavour } from "./database-url";
import { createSerializedSqliteAdapter } from "./serialized-sqlite-adapter.server";
import { ensureSqliteDirectory } from "./sqlite-file.server";

// The Postgres client is generated from prisma/postgres/schema.prisma (same models, Postgres
// datasource) into node_modules/.prisma/postgres-client, so one install serves both databases.
function loadPostgresClient(): typeof PrismaClient {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  return (require(".prisma/postgres-client") as { PrismaClient: typeof PrismaClient }).PrismaClient;
}

/**
 * Builds a Prisma client for a database URL through the matching driver adapter (no Rust
 * engine needed). app/db.server.ts calls it once for the app; tools and tests call it for
 * databases of their own.
 */
export function createPrismaClient(url: string): PrismaClient {
  if (databaseFlavour(url) === "postgres") {
    const PostgresClient = loadPostgresClient();
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  ensureSqliteDirectory(url);
  return new PrismaClient({ adapter: createSerializedSqliteAdapter(new PrismaBetterSQLite3({ url })) });
}
