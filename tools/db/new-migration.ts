// `npm run db:migration -- <name>`: the offline replacement for `prisma migrate dev`. Writes
// prisma/migrations/<timestamp>_<name>/migration.sql as the diff between
// prisma/migrated-schema.prisma (the schema as of the last migration) and prisma/schema.prisma,
// then records the new snapshot and applies the migration to the local database.
// (Diffing from the migrations folder needs a shadow database, which the SQLite driver adapter
// cannot replay multi-statement migrations into — see docs/decisions/003.)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(1);
}
const prisma = (...args: string[]) =>
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], { encoding: "utf8" });

const sql = prisma(
  "migrate",
  "diff",
  "--from-schema-datamodel",
  "prisma/migrated-schema.prisma",
  "--to-schema-datamodel",
  "prisma/schema.prisma",
  "--script",
);
if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
  console.log("The schema matches the migrations: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
copyFileSync(path.join("prisma", "schema.prisma"), path.join("prisma", "migrated-schema.prisma"));
console.log(`Wrote ${dir}/migration.sql`);
console.log(prisma("migrate", "deploy"));
