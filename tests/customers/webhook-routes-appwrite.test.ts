// Customer webhook routes with CUSTOMER_STORE=appwrite, against the local Appwrite emulator.
import { afterAll, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { createTestApp } from "../kit/test-app";
import { CUSTOMER_TABLES, scanAppwrite, scanSqlite } from "./residue";
import { APP_ENV, postTo, webhookRouteSuite } from "./webhook-routes";

const emulator = await startAppwriteEmulator({ projectId: "aisle-routes", apiKey: "routes-key" });
afterAll(() => emulator.stop());
const app = createTestApp({
  ...APP_ENV,
  CUSTOMER_STORE: "appwrite",
  APPWRITE_ENDPOINT: emulator.endpoint,
  APPWRITE_PROJECT_ID: "aisle-routes",
  APPWRITE_API_KEY: "routes-key",
});
afterAll(() => app.close());
const url = app.env.DATABASE_URL;

const appwrite = createAppwriteClient({ endpoint: emulator.endpoint, projectId: "aisle-routes", apiKey: "routes-key" });
// Every store: the whole Appwrite database, and the app database (which must hold nothing either).
webhookRouteSuite("Appwrite store", app.services, () => ({
  scan: async (needle, scope) => [
    ...(await scanAppwrite(appwrite, "aisle", needle)),
    ...scanSqlite(url, needle, scope === "shop" ? CUSTOMER_TABLES : undefined),
  ],
}));

describe("when Appwrite is unreachable", () => {
  it("answers 200 and keeps the record as a job that retries until Appwrite is back (decision 108)", async () => {
    await emulator.stop();
    const body = '{"admin_graphql_api_id": "gid://shopify/Customer/42", "updated_at": "2026-11-01T00:00:00Z"}';
    const response = await postTo(app.services, customersCreate, "customers/create", body);
    expect(response.status).toBe(200);
    expect(await app.services.lifecycleJobs.drain()).toBe(1);
    const job = await app.services.prisma.lifecycleJob.findFirstOrThrow({
      where: { topic: "customers/create", input: { contains: '"42"' } },
    });
    expect(job).toMatchObject({ status: "retrying", attempts: 1 });
    expect(JSON.parse(job.input)).toMatchObject({ customerId: "42" });
  });
});
