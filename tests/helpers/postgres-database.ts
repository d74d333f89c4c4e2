// Throwaway Postgres databases for tests: each is a copy of the migrated template that global setup
// builds once per run (CREATE DATABASE … TEMPLATE is much faster than migrating per file).
// Available when TEST_POSTGRES_URL names an account that may create databases (`npm test` starts
// the machine's cluster, tools/ensure-postgres.sh); `postgresAvailable` says whether it does.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";

export const postgresAvailable = (): boolean => Boolean(inject("postgresTemplate"));

export async function postgresAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface PostgresTestDatabase {
  url: string;
  prisma: ReturnType<typeof createPrismaClient>;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

export async function createPostgresTestDatabase(prefix = "aisle_test"): Promise<PostgresTestDatabase> {
  const template = inject("postgresTemplate");
  if (!template) throw new Error("no Postgres for tests: set TEST_POSTGRES_URL (see tools/ensure-postgres.sh)");
  const database = `${prefix}_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  const url = new URL(process.env.TEST_POSTGRES_URL!);
  url.pathname = `/${database}`;
  const prisma = createPrismaClient(url.toString());
  return {
    url: url.toString(),
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await postgresAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
