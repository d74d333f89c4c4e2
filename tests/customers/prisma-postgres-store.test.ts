// The customer store contract on Prisma with Postgres (the multi-instance production database).
// Needs TEST_POSTGRES_URL (an account that may create databases); `npm test` provides one when the
// machine has Postgres (tools/ensure-postgres.sh).
import { describe, it } from "vitest";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createPostgresTestDatabase, postgresAvailable } from "../helpers/postgres-database";
import { customerStoreContract } from "./store-contract";

if (postgresAvailable()) {
  customerStoreContract("Prisma (Postgres)", async () => {
    const database = await createPostgresTestDatabase("aisle_customers");
    return { store: new PrismaCustomerStore(database.prisma), close: database.drop };
  });
} else {
  describe("CustomerStore contract: Prisma (Postgres)", () => {
    it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
  });
  console.warn("Customer store Postgres contract skipped: set TEST_POSTGRES_URL or run it through `npm test`.");
}
