// The customer store contract on Appwrite through node-appwrite: against the local Appwrite
// emulator always, and against a real Appwrite when APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and
// APPWRITE_API_KEY are set (a throw-away database per run, deleted afterwards).
import { randomBytes } from "node:crypto";
import { Databases } from "node-appwrite";
import { describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { AppwriteCustomerStore } from "../../app/lib/customers/appwrite-store.server";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { customerStoreContract } from "./store-contract";

const PROJECT = "aisle-test";
const KEY = "standard_" + randomBytes(16).toString("hex");

// 1.8 (transactions and bulk operations), 1.7 (bulk operations only) and 1.6 (neither): decision 116.
for (const [version, label] of [
  ["1.8.0", "local emulator"],
  ["1.7.4", "local emulator as 1.7, without transactions"],
  ["1.6.2", "local emulator as 1.6, without transactions or bulk operations"],
]) {
  customerStoreContract(`Appwrite (${label})`, async () => {
    const emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, version });
    const client = createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY });
    return { store: new AppwriteCustomerStore(client, { databaseId: "aisle", pollMs: 10 }), close: emulator.stop };
  });
}

const real = {
  endpoint: process.env.APPWRITE_ENDPOINT,
  project: process.env.APPWRITE_PROJECT_ID,
  key: process.env.APPWRITE_API_KEY,
};
if (real.endpoint && real.project && real.key) {
  customerStoreContract(`Appwrite (real, ${real.endpoint})`, async () => {
    const client = createAppwriteClient({ endpoint: real.endpoint!, projectId: real.project!, apiKey: real.key! });
    const databaseId = `aisle-test-${randomBytes(6).toString("hex")}`;
    return {
      store: new AppwriteCustomerStore(client, { databaseId, pollMs: 500 }),
      close: async () => {
        await new Databases(client).delete({ databaseId });
      },
    };
  });
} else {
  console.info("Real Appwrite contract run skipped: set APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and APPWRITE_API_KEY.");
}

describe("Appwrite store set-up", () => {
  it("creates its database, collections, attributes and indexes once, and again finds them on restart", async () => {
    const emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, buildDelayMs: 40 });
    try {
      const client = createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY });
      await new AppwriteCustomerStore(client, { databaseId: "aisle", pollMs: 10 }).ready();
      const creates = emulator.requests.filter((r) => r.method === "POST").length;
      expect(creates).toBeGreaterThan(30);
      const collections = await new Databases(client).listCollections({ databaseId: "aisle" });
      expect(collections.collections.map((c) => c.$id).sort()).toEqual(
        ["cart_events", "conversations", "customers", "data_exports", "messages", "orders"].sort(),
      );
      for (const collection of collections.collections) {
        expect(collection.attributes.every((a) => (a as { status: string }).status === "available")).toBe(true);
        expect(collection.indexes.every((i) => i.status === "available")).toBe(true);
      }
      // A second app instance (or a restart) creates nothing but the transaction that tells it the server
      // has transactions (rolled back at once: decision 116).
      emulator.requests.length = 0;
      await new AppwriteCustomerStore(client, { databaseId: "aisle", pollMs: 10 }).ready();
      expect(emulator.requests.filter((r) => r.method === "POST")).toEqual([
        { method: "POST", path: "/v1/databases/transactions" },
      ]);
    } finally {
      await emulator.stop();
    }
  });

  it("surfaces a wrong API key as Appwrite's 401, without creating anything", async () => {
    const emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY });
    try {
      const client = createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: "wrong" });
      const store = new AppwriteCustomerStore(client, { databaseId: "aisle" });
      await expect(store.ready()).rejects.toMatchObject({ code: 401, type: "general_unauthorized_scope" });
      const good = new Databases(
        createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY }),
      );
      expect((await good.list()).total).toBe(0);
    } finally {
      await emulator.stop();
    }
  });
});
