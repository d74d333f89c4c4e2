// Customer webhook routes with the default store (Prisma on a migrated SQLite copy).
import { afterAll } from "vitest";
import { createTestApp } from "../kit/test-app";
import { CUSTOMER_TABLES, scanSqlite } from "./residue";
import { APP_ENV, webhookRouteSuite } from "./webhook-routes";

const app = createTestApp({ ...APP_ENV, CUSTOMER_STORE: "prisma" });
afterAll(() => app.close());
const url = app.env.DATABASE_URL;

// A customer's id must be gone from every table of the app database (whoever owns it); a shop's
// domain from the customer tables (the shop's other data belongs to the shop/redact handler).
webhookRouteSuite("Prisma store", app.services, () => ({
  scan: async (needle, scope) => scanSqlite(url, needle, scope === "shop" ? CUSTOMER_TABLES : undefined),
}));
