// Once per `vitest run`: a real Chroma server on a free port, a pgvector server (PGlite, or the real
// Postgres named by TEST_PGVECTOR_URL) and a migrated SQLite template database that each test file
// copies (migrating once is much faster than per file).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startChroma } from "../../tools/chroma/chroma-process";
import { migrateDatabase } from "../../tools/lib/database";
import { freePort } from "../../tools/lib/ports";
import { startPgvector } from "../../tools/pgvector/pgvector-process";

declare module "vitest" {
  export interface ProvidedContext {
    chromaUrl: string;
    /** Postgres with pgvector: TEST_PGVECTOR_URL when set, else an in-memory PGlite started here. */
    pgvectorUrl: string;
    templateDatabasePath: string;
  }
}

export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-tests-"));
  const [chroma, pgvector] = await Promise.all([
    startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true }),
    process.env.TEST_PGVECTOR_URL ? undefined : startPgvector({ port: await freePort(), quiet: true }),
  ]);
  const templateDatabasePath = path.join(workDir, "template.sqlite");
  await migrateDatabase(`file:${templateDatabasePath}`);
  project.provide("chromaUrl", chroma.url);
  project.provide("pgvectorUrl", process.env.TEST_PGVECTOR_URL ?? pgvector!.url);
  project.provide("templateDatabasePath", templateDatabasePath);
  return async () => {
    await Promise.all([chroma.stop(), pgvector?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  };
}
