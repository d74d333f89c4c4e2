// The built app, started like `npm run demo` (tools/stack.ts), with CUSTOMER_STORE=appwrite against
// the local Appwrite emulator: the store prepares Appwrite at boot, and signed webhooks sent over
// HTTP land in (and are redacted from) Appwrite, while forged ones are refused.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { startAppwriteEmulator, type RunningAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { freePort } from "../../tools/lib/ports";
import { DEMO_APP_CREDENTIALS, startStack, type RunningStack } from "../../tools/stack";
import { signedWebhookRequest } from "../kit/signed-requests";
import { scanAppwrite } from "./residue";

const SHOP = "stack-shop.myshopify.com";
const CUSTOMER = "706405506930370084";
let emulator: RunningAppwriteEmulator;
let stack: RunningStack;
let dataDir: string;
let appwrite: Client;

function send(topic: string, body: string, secret = DEMO_APP_CREDENTIALS.apiSecret) {
  return fetch(signedWebhookRequest({ appUrl: stack.app.url, secret, shop: SHOP, topic, body }));
}

beforeAll(async () => {
  emulator = await startAppwriteEmulator({ projectId: "aisle-stack", apiKey: "stack-key" });
  appwrite = createAppwriteClient({ endpoint: emulator.endpoint, projectId: "aisle-stack", apiKey: "stack-key" });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-customers-stack-"));
  stack = await startStack({
    dataDir,
    appPort: await freePort(),
    chromaPort: await freePort(),
    env: {
      CUSTOMER_STORE: "appwrite",
      APPWRITE_ENDPOINT: emulator.endpoint,
      APPWRITE_PROJECT_ID: "aisle-stack",
      APPWRITE_API_KEY: "stack-key",
      APPWRITE_DATABASE_ID: "aisle-stack-db",
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await emulator?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("built app with the Appwrite customer store", () => {
  it("creates its Appwrite database and collections at boot, before any request needs them", async () => {
    for (let i = 0; i < 100 && !emulator.requests.some((r) => r.path.endsWith("/indexes") && r.method === "GET"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const created = emulator.requests.filter((r) => r.method === "POST").map((r) => r.path);
    expect(created).toContain("/v1/databases");
    expect(created).toContain("/v1/databases/aisle-stack-db/collections");
  });

  it("stores a signed customers/create in Appwrite, refuses a forged one, and redacts on customers/redact", async () => {
    const profile = JSON.stringify({
      id: 1,
      admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER}`,
      first_name: "Bob",
      email: "bob@biller.com",
      updated_at: "2026-11-01T00:00:00Z",
    });
    const forged = await send("customers/create", profile, "wrong-secret");
    expect(forged.status).toBe(401);
    expect(await scanAppwrite(appwrite, "aisle-stack-db", CUSTOMER)).toEqual([]);

    expect((await send("customers/create", profile)).status).toBe(200);
    // Recorded as a job (decision 108); the app's lifecycle worker writes it to Appwrite.
    const stored = await vi.waitFor(
      async () => {
        const found = await scanAppwrite(appwrite, "aisle-stack-db", CUSTOMER);
        expect(found.map((r) => r.where)).toEqual(["customers"]);
        return found;
      },
      { timeout: 10_000 },
    );
    expect(stored[0].row).not.toContain("bob@biller.com");

    const redact = `{"shop_id": 1, "shop_domain": "${SHOP}", "customer": {"id": ${CUSTOMER}}, "orders_to_redact": []}`;
    expect((await send("customers/redact", redact)).status).toBe(200);
    // Recorded as a job; the app's lifecycle worker runs it.
    await vi.waitFor(async () => expect(await scanAppwrite(appwrite, "aisle-stack-db", CUSTOMER)).toEqual([]), {
      timeout: 10_000,
    });
  });
});
