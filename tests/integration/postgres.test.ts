// The documented switch to Postgres: the committed Postgres migrations apply to an empty database
// and the app's real session storage and records work on it. Needs a Postgres server:
// TEST_POSTGRES_URL, or `npm test` starts the machine's local cluster (tools/ensure-postgres.sh).
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { migrateDatabase } from "../../tools/lib/database";
import { databaseUrl, dropDatabase, postgresAdmin } from "../../tools/lib/postgres-admin";
import { POSTGRES_SCHEMA, postgresSchemaFrom, SQLITE_SCHEMA } from "../../tools/db/postgres-schema";

const adminUrl = process.env.TEST_POSTGRES_URL;

it("keeps prisma/postgres/schema.prisma generated from prisma/schema.prisma", () => {
  expect(readFileSync(POSTGRES_SCHEMA, "utf8"), "run `npm run db:postgres-schema`").toBe(
    postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8")),
  );
});

if (!adminUrl) console.warn("Postgres tests skipped: set TEST_POSTGRES_URL or run them through `npm test` as root.");

describe.skipIf(!adminUrl)("on Postgres", () => {
  const database = `aisle_test_${randomBytes(4).toString("hex")}`;
  let url: string;
  let prisma: ReturnType<typeof createPrismaClient>;

  beforeAll(async () => {
    await postgresAdmin(adminUrl!, `CREATE DATABASE ${database}`);
    url = databaseUrl(adminUrl!, database);
    await migrateDatabase(url);
    prisma = createPrismaClient(url);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    // Not DROP … WITH (FORCE) first: it cannot end the autovacuum worker the migration's writes may
    // have started (the helper's plain DROP makes the server stop it).
    await dropDatabase(adminUrl!, database);
  });

  it("stores and loads Shopify sessions through the official Prisma storage", async () => {
    const storage = new PrismaSessionStorage(prisma);
    const session = new Session({
      id: "offline_pg-shop.myshopify.com",
      shop: "pg-shop.myshopify.com",
      state: "state",
      isOnline: false,
      scope: "read_products",
      accessToken: "shpat_test",
    });
    expect(await storage.storeSession(session)).toBe(true);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_test");
    expect(await storage.findSessionsByShop("pg-shop.myshopify.com")).toHaveLength(1);
  });

  it("keeps one shop record per domain", async () => {
    for (let i = 0; i < 2; i++) {
      await prisma.shop.upsert({
        where: { domain: "pg-shop.myshopify.com" },
        create: { domain: "pg-shop.myshopify.com" },
        update: { scopes: `read_products,${i}` },
      });
    }
    expect(await prisma.shop.count()).toBe(1);
  });
});
