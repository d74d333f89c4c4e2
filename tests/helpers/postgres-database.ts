// Throwaway Postgres databases for tests: each is a copy of the migrated template that global setup
// builds once per run (CREATE DATABASE … TEMPLATE is much faster than migrating per file).
// Available when TEST_POSTGRES_URL names an account that may create databases (`npm test` starts
// the machine's cluster, tools/ensure-postgres.sh); `postgresAvailable` says whether it does.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { databaseUrl, dropDatabase, postgresAdmin } from "../../tools/lib/postgres-admin";
import { createTestDatabase } from "./database";

export const postgresAvailable = (): boolean => Boolean(inject("postgresTemplate"));

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
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  await postgresAdmin(adminUrl, `CREATE DATABASE ${database} TEMPLATE ${template}`);
  const url = databaseUrl(adminUrl, database);
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase(adminUrl, database);
    },
  };
}

/** A database a suite can run on: SQLite always, Postgres when the run has one. */
export interface SuiteDatabase {
  name: "SQLite" | "Postgres";
  /** A fresh migrated database: its client, its URL (for an app built on it), and how to drop it. */
  open(): Promise<{ prisma: ReturnType<typeof createPrismaClient>; url: string; close: () => Promise<void> }>;
}

export function suiteDatabases(postgresPrefix: string): SuiteDatabase[] {
  const databases: SuiteDatabase[] = [
    {
      name: "SQLite",
      open: async () => {
        const { prisma, url } = createTestDatabase();
        return { prisma, url, close: () => prisma.$disconnect() };
      },
    },
  ];
  if (postgresAvailable()) {
    databases.push({
      name: "Postgres",
      open: async () => {
        const db = await createPostgresTestDatabase(postgresPrefix);
        return { prisma: db.prisma, url: db.url, close: db.drop };
      },
    });
  }
  return databases;
}
