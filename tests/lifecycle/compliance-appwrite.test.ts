// C1–C5 with the Appwrite customer store (the local Appwrite-compatible server) beside the app's SQLite:
// residue is looked for in both.
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { scanAppwrite, scanSqlite } from "../customers/residue";
import { createTestDatabase } from "../helpers/database";
import { complianceChecks } from "./compliance-checks";

complianceChecks("SQLite, Appwrite customer store", async () => {
  const emulator = await startAppwriteEmulator({ projectId: "aisle-compliance", apiKey: "compliance-key" });
  const { url } = createTestDatabase({ disconnected: true });
  const appwrite = createAppwriteClient({
    endpoint: emulator.endpoint,
    projectId: "aisle-compliance",
    apiKey: "compliance-key",
  });
  return {
    env: {
      DATABASE_URL: url,
      CUSTOMER_STORE: "appwrite",
      APPWRITE_ENDPOINT: emulator.endpoint,
      APPWRITE_PROJECT_ID: "aisle-compliance",
      APPWRITE_API_KEY: "compliance-key",
    },
    scan: async (needle) => [...(await scanAppwrite(appwrite, "aisle", needle)), ...scanSqlite(url, needle)],
    close: () => emulator.stop(),
  };
});
