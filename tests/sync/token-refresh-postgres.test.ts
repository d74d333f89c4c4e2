// I4 on Postgres, each "process" with its own database client. Needs TEST_POSTGRES_URL.
import { describe, it } from "vitest";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";
import { tokenRefreshSuite } from "./token-refresh";

if (postgresAvailable()) {
  tokenRefreshSuite("Postgres", async () => {
    const database = await createPostgresTestDatabase("aisle_tokens");
    await database.prisma.$disconnect(); // the app and the processes hold their own clients
    return { url: database.url, drop: database.drop };
  });
} else {
  describe("I4 expiring tokens (Postgres)", () => {
    it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
  });
  console.warn("I4 Postgres suite skipped: set TEST_POSTGRES_URL or run it through `npm test`.");
}
