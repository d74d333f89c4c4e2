// Prisma CLI configuration. Driver adapters + the JS engine let `prisma generate`,
// `migrate deploy` and `migrate diff` run without Prisma's downloadable Rust engines
// (see docs/decisions/0003-prisma-driver-adapters.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseFlavour, DEFAULT_DATABASE_URL } from "./app/lib/db/database-url";
import { ensureSqliteDirectory } from "./app/lib/db/sqlite-file.server";
import { createPostgresMigrateAdapter } from "./app/lib/db/postgres-migrate-adapter";

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const flavour = databaseFlavour(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // Postgres has its own schema file (generated from the SQLite one) and migration history.
  migrations: { path: flavour === "postgres" ? "prisma/postgres/migrations" : "prisma/migrations" },
  schema:
    flavour === "postgres" ? path.join("prisma", "postgres", "schema.prisma") : path.join("prisma", "schema.prisma"),
  async adapter() {
    if (flavour === "postgres") return createPostgresMigrateAdapter(url);
    ensureSqliteDirectory(url);
    return new PrismaBetterSQLite3({ url });
  },
});
