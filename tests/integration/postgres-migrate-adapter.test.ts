// The adapter `prisma migrate deploy` uses on Postgres (prisma.config.ts) applies a migration whole:
// a function body's semicolons stay in it, and a failure leaves nothing of the script behind and
// reports the Postgres error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresMigrateAdapter } from "../../app/lib/db/postgres-migrate-adapter";
import { createPostgresTestDatabase, postgresAvailable, type PostgresTestDatabase } from "../helpers/postgres-database";

type MigrateAdapter = Awaited<ReturnType<ReturnType<typeof createPostgresMigrateAdapter>["connect"]>>;

describe.skipIf(!postgresAvailable())("Postgres migrate adapter", () => {
  let database: PostgresTestDatabase;
  let adapter: MigrateAdapter;

  beforeAll(async () => {
    database = await createPostgresTestDatabase("aisle_migrate");
    adapter = await createPostgresMigrateAdapter(database.url).connect();
  });
  afterAll(async () => {
    await adapter?.dispose();
    await database?.drop();
  });

  const exists = async (table: string) => {
    const rows = await database.prisma.$queryRawUnsafe<{ found: boolean }[]>(
      `SELECT to_regclass($1) IS NOT NULL AS found`,
      table,
    );
    return rows[0].found;
  };

  it("runs a script whose comments and function bodies hold semicolons", async () => {
    await adapter.executeScript(`
      -- A comment; with a semicolon and 'quotes'.
      CREATE TABLE "MigrateProbe" ("id" INT NOT NULL);
      CREATE FUNCTION "migrate_probe_double"(value INT) RETURNS INT LANGUAGE plpgsql AS $$
      DECLARE
        result INT;
      BEGIN
        result := value * 2;
        RETURN result;
      END
      $$;
      INSERT INTO "MigrateProbe" VALUES (migrate_probe_double(21));`);
    const rows = await database.prisma.$queryRawUnsafe<{ id: number }[]>(`SELECT "id" FROM "MigrateProbe"`);
    expect(rows).toEqual([{ id: 42 }]);
  });

  it("applies nothing of a script that fails, and says why", async () => {
    await expect(
      adapter.executeScript(`
        CREATE TABLE "MigrateHalf" ("id" INT);
        INSERT INTO "MigrateHalf" VALUES (1);
        SELECT no_such_function();`),
    ).rejects.toThrow(/no_such_function\(\) does not exist/);
    expect(await exists('"MigrateHalf"')).toBe(false);
  });
});
