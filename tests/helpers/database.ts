// A fresh, migrated SQLite database per call (a copy of the template built in global setup), in the
// run's work directory, which global setup removes at the end.
import { copyFileSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";

export function createTestDatabase(): { url: string; prisma: ReturnType<typeof createPrismaClient> };
/** Only the URL: the database is there, no client is held open. */
export function createTestDatabase(options: { disconnected: true }): { url: string };
export function createTestDatabase(options: { disconnected?: boolean } = {}) {
  const template = inject("templateDatabasePath");
  const dir = mkdtempSync(path.join(path.dirname(template), "db-"));
  const file = path.join(dir, "test.sqlite");
  copyFileSync(template, file);
  const url = `file:${file}`;
  return options.disconnected ? { url } : { url, prisma: createPrismaClient(url) };
}
