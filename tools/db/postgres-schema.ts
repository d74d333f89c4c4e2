// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: the same models, with the
// Postgres datasource and its own client output, so one install carries both clients and the
// database is chosen by DATABASE_URL alone. `npm run db:migration` calls this; a test checks the
// committed file is current.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = path.join("prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join("prisma", "postgres", "schema.prisma");

export function postgresSchemaFrom(sqliteSchema: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by tools/db/postgres-schema.ts — edit that file, then run\n" +
    "// `npm run db:migration -- <name>` (it regenerates this file and writes both migrations).\n\n";
  const converted = sqliteSchema
    .replace(/^\/\/ Aisle's database schema[\s\S]*?\n\n/, "")
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(
      /url\s*=\s*"file:[^"]*".*$/m,
      'url      = "postgresql://placeholder" // the real URL comes from DATABASE_URL',
    )
    .replace(/(engineType\s*=\s*"client")/, '$1\n  output          = "../../node_modules/.prisma/postgres-client"');
  if (converted === sqliteSchema) throw new Error("prisma/schema.prisma does not look like the SQLite schema");
  return header + converted;
}

export function writePostgresSchema(): void {
  writeFileSync(POSTGRES_SCHEMA, postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8")));
}

if (import.meta.url === `file://${process.argv[1]}`) writePostgresSchema();
