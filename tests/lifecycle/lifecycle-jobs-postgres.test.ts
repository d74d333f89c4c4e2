// Lifecycle jobs on Postgres (the multi-instance production database). Needs TEST_POSTGRES_URL
// (`npm test` provides one when the machine has Postgres: tools/ensure-postgres.sh).
import { describe, it } from "vitest";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";
import { lifecycleJobSuite } from "./lifecycle-jobs";

if (postgresAvailable()) {
  lifecycleJobSuite(
    "Postgres",
    async () => {
      const database = await createPostgresTestDatabase("aisle_lifecycle");
      // The suite's apps hold their own clients; this one only creates and drops the database.
      await database.prisma.$disconnect();
      return { url: database.url, drop: database.drop };
    },
    { clientPerProcess: true },
  );
} else {
  describe("lifecycle jobs (Postgres)", () => {
    it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
  });
  console.warn("Lifecycle job Postgres suite skipped: set TEST_POSTGRES_URL or run it through `npm test`.");
}
