// Every schema change ships with its migration: prisma/schema.prisma must equal the schema the
// committed migrations produce (prisma/migrated-schema.prisma, kept by `npm run db:migration`).
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("has no schema change without a migration", () => {
  const result = spawnSync(
    process.execPath,
    [
      "node_modules/prisma/build/index.js",
      "migrate",
      "diff",
      "--from-schema-datamodel",
      "prisma/migrated-schema.prisma",
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--exit-code",
    ],
    { encoding: "utf8" },
  );
  expect(result.stdout + result.stderr).not.toMatch(/Error/);
  expect(result.status, "run `npm run db:migration -- <name>` to write the missing migration").toBe(0);
});
