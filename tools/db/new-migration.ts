// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql by
// diffing the committed migrations against prisma/schema.prisma (offline replacement for
// `prisma migrate dev`), then applies it to the local database.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
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
  "--from-migrations",
  "prisma/migrations",
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
console.log(`Wrote ${dir}/migration.sql`);
console.log(prisma("migrate", "deploy"));
