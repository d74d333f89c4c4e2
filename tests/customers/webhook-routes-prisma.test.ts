// Customer webhook routes with the default store (Prisma on a migrated SQLite copy).
import { inject } from "vitest";
import { createTestDatabase } from "../helpers/database";
import { CUSTOMER_TABLES, scanSqlite } from "./residue";
import { APP_ENV, webhookRouteSuite } from "./webhook-routes";

const { url, prisma } = createTestDatabase();
await prisma.$disconnect();
Object.assign(process.env, APP_ENV, { DATABASE_URL: url, CHROMA_URL: inject("chromaUrl"), CUSTOMER_STORE: "prisma" });

// A customer's id must be gone from every table of the app database (whoever owns it); a shop's
// domain from the customer tables (the shop's other data belongs to the shop/redact handler).
webhookRouteSuite("Prisma store", () => ({
  scan: async (needle, scope) => scanSqlite(url, needle, scope === "shop" ? CUSTOMER_TABLES : undefined),
}));
