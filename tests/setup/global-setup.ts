// Once per `vitest run`: a real Chroma server on a free port, a pgvector server (PGlite, or the real
// Postgres named by TEST_PGVECTOR_URL), a migrated SQLite template database that each test file
// copies, and with TEST_POSTGRES_URL a migrated Postgres template database (migrating once is much
// faster than per file).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startChroma } from "../../tools/chroma/chroma-process";
import { migrateDatabase } from "../../tools/lib/database";
import { databaseUrl, dropDatabase, postgresAdmin } from "../../tools/lib/postgres-admin";
import { freePort } from "../../tools/lib/ports";
import { startPgvector } from "../../tools/pgvector/pgvector-process";

declare module "vitest" {
  export interface ProvidedContext {
    chromaUrl: string;
    /** Postgres with pgvector: TEST_PGVECTOR_URL when set, else an in-memory PGlite started here. */
    pgvectorUrl: string;
    templateDatabasePath: string;
    /** Name of the migrated Postgres template database; "" without TEST_POSTGRES_URL. */
    postgresTemplate: string;
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
  const postgresTemplate = await createPostgresTemplate();
  project.provide("postgresTemplate", postgresTemplate?.name ?? "");
  project.provide("chromaUrl", chroma.url);
  project.provide("pgvectorUrl", process.env.TEST_PGVECTOR_URL ?? pgvector!.url);
  project.provide("templateDatabasePath", templateDatabasePath);
  return async () => {
    await Promise.all([chroma.stop(), pgvector?.stop()]);
    await postgresTemplate?.drop();
    rmSync(workDir, { recursive: true, force: true });
  };
}

async function createPostgresTemplate(): Promise<{ name: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) return null;
  const name = `aisle_template_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(adminUrl, `CREATE DATABASE ${name}`);
  await migrateDatabase(databaseUrl(adminUrl, name));
  return { name, drop: () => dropDatabase(adminUrl, name) };
}
