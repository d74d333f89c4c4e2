// The customer store contract on Prisma with Postgres (the multi-instance production database).
// Needs TEST_POSTGRES_URL (an account that may create databases); `npm test` provides one when the
// machine has Postgres (tools/ensure-postgres.sh).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, it } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { migrateDatabase } from "../../tools/lib/database";
import { customerStoreContract } from "./store-contract";

const adminUrl = process.env.TEST_POSTGRES_URL;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (adminUrl) {
  customerStoreContract("Prisma (Postgres)", async () => {
    const database = `aisle_customers_${randomBytes(4).toString("hex")}`;
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    await migrateDatabase(url.toString());
    const prisma = createPrismaClient(url.toString());
    return {
      store: new PrismaCustomerStore(prisma),
      close: async () => {
        await prisma.$disconnect();
        await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      },
    };
  });
} else {
  describe("CustomerStore contract: Prisma (Postgres)", () => {
    it.skip("needs TEST_POSTGRES_URL (see tools/ensure-postgres.sh)", () => {});
  });
  console.warn("Customer store Postgres contract skipped: set TEST_POSTGRES_URL or run it through `npm test`.");
}
