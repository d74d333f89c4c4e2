// Throwaway Postgres databases for tests, evaluation and benchmarks, through an account that may
// create databases (TEST_POSTGRES_URL; tools/ensure-postgres.sh provides one locally).
import pg from "pg";

export async function postgresAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `adminUrl` (same account). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops a database once its clients are gone. Plain DROP first: the server stops its own
 * autovacuum workers for it, which WITH (FORCE) may not terminate for an account that is not a
 * superuser ("must be a member of the role whose process is being terminated"); FORCE is the last
 * try, for a client of ours that did not close.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await postgresAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006") throw error; // object in use
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await postgresAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
