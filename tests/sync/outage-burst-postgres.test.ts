// W5 and W6 on Postgres. Needs TEST_POSTGRES_URL (tools/ensure-postgres.sh).
import { describe, it } from "vitest";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";
import { outageSuite } from "./outage-burst";

if (postgresAvailable()) {
  outageSuite("Postgres", async () => {
    const database = await createPostgresTestDatabase("aisle_outage");
    await database.prisma.$disconnect(); // the app holds its own client
    return { url: database.url, drop: database.drop };
  });
} else {
  describe("W5 and W6 (Postgres)", () => {
    it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
  });
  console.warn("W5/W6 Postgres suite skipped: set TEST_POSTGRES_URL or run it through `npm test`.");
}
