// `npm run db:migration -- <name>`: the offline replacement for `prisma migrate dev`.
// For SQLite (prisma/schema.prisma) and Postgres (prisma/postgres/schema.prisma, generated from it)
// it diffs the schema as of the last migration (migrated-schema.prisma snapshots) against the
// current one, writes migrations/<timestamp>_<name>/migration.sql, updates the snapshots,
// regenerates both clients and applies the SQLite migration locally.
// Diffing from the migrations folder itself would need a shadow database, which the SQLite
// driver adapter cannot replay multi-statement migrations into (docs/decisions/003).
// The Postgres diff needs a reachable Postgres: MIGRATION_POSTGRES_URL (default: local "aisle" db).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./postgres-schema";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(1);
}
const postgresUrl = process.env.MIGRATION_POSTGRES_URL ?? "postgresql://aisle:aisle@127.0.0.1:5432/aisle";

const prisma = (env: Record<string, string>, ...args: string[]) =>
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

interface Flavour {
  schema: string;
  snapshot: string;
  migrations: string;
  env: Record<string, string>;
}

const flavours: Flavour[] = [
  { schema: SQLITE_SCHEMA, snapshot: "prisma/migrated-schema.prisma", migrations: "prisma/migrations", env: {} },
  {
    schema: POSTGRES_SCHEMA,
    snapshot: "prisma/postgres/migrated-schema.prisma",
    migrations: "prisma/postgres/migrations",
    env: { DATABASE_URL: postgresUrl },
  },
];

writePostgresSchema();
// Compute every diff before writing anything, so a failure leaves no half-made migration.
const diffs = flavours.map((flavour) => {
  const sql = prisma(
    flavour.env,
    "migrate",
    "diff",
    "--from-schema-datamodel",
    flavour.snapshot,
    "--to-schema-datamodel",
    flavour.schema,
    "--script",
  );
  return { flavour, sql: /^-- This is an empty migration/m.test(sql) ? "" : sql.trim() };
});
if (diffs.every((diff) => !diff.sql)) {
  console.log("The schemas match their migrations: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const { flavour, sql } of diffs) {
  if (!sql) continue;
  const dir = path.join(flavour.migrations, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  copyFileSync(flavour.schema, flavour.snapshot);
  console.log(`Wrote ${dir}/migration.sql`);
}
prisma({}, "generate");
prisma({}, "generate", "--schema", POSTGRES_SCHEMA);
console.log(prisma({}, "migrate", "deploy"));
