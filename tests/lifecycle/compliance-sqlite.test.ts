// C1–C5 on SQLite with the Prisma customer store.
import { createTestDatabase } from "../helpers/database";
import { scanSqlite } from "../customers/residue";
import { complianceChecks } from "./compliance-checks";

complianceChecks("SQLite, Prisma customer store", async () => {
  const { url } = createTestDatabase({ disconnected: true });
  return { env: { DATABASE_URL: url }, scan: async (needle) => scanSqlite(url, needle), close: async () => {} };
});
