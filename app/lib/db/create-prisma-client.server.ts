import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseFlavour } from "./database-url";
import { ensureSqliteDirectory } from "./sqlite-file.server";

/**
 * Builds a Prisma client for a database URL through the matching driver adapter (no Rust
 * engine needed). app/db.server.ts calls it once for the app; tools and tests call it for
 * databases of their own.
 */
export function createPrismaClient(url: string): PrismaClient {
  if (databaseFlavour(url) === "postgres") {
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  ensureSqliteDirectory(url);
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}
