// Aisle's Appwrite traffic against Appwrite's own published server API spec (1.8.0, read from
// ../shared/data/appwrite/): the customer store contract and the C1–C5 compliance flows run through a
// recording proxy in front of the local Appwrite-compatible server, and so does the product mirror
// (APPWRITE_PRODUCTS, decision 120): writes, updates, deletes, reconcile and shop removal; then every request Aisle sent
// (method, path, query and body parameters, their types, required ones, headers) and every answer the
// server gave (status, response model, error shape) is checked against the spec, and every Appwrite call
// in Aisle's code must have been seen and checked. Decision 115.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppwriteException, Databases, Query } from "node-appwrite";
import { afterAll, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { AppwriteCustomerStore } from "../../app/lib/customers/appwrite-store.server";
import { startRecordingProxy, type RecordingProxy } from "../../tools/appwrite-emulator/recording-proxy";
import { startAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { AppwriteSpecChecker, loadAppwriteSpec, type Exchange } from "../../tools/appwrite-emulator/spec-check";
import { createTestDatabase } from "../helpers/database";
import { complianceChecks } from "../lifecycle/compliance-checks";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { drainSync } from "../../tools/lib/drain-sync";
import { loadApp } from "../sync/helpers/app";
import { scanAppwrite, scanSqlite } from "./residue";
import { customerStoreContract } from "./store-contract";

const spec = loadAppwriteSpec();
if (!spec) {
  console.info("Appwrite conformance skipped: ../shared/data/appwrite/open-api3-1.8.0-server.json is absent.");
}
const PROJECT = "aisle-conformance";
const KEY = "conformance-key";

const emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, buildDelayMs: 10 });
/** Aisle's own traffic. */
const aisle = await startRecordingProxy(emulator.endpoint);
/** Requests the test makes to provoke error answers (checked as answers only). */
const provoked = await startRecordingProxy(emulator.endpoint);
const direct = createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY });
afterAll(async () => {
  await aisle.close();
  await provoked.close();
  await emulator.stop();
});

const checker = spec ? new AppwriteSpecChecker(spec) : null;
const unique = (items: string[]) => [...new Set(items)];

describe.skipIf(!spec)("Appwrite conformance", () => {
  customerStoreContract("Appwrite, recorded for the conformance check", async () => ({
    store: new AppwriteCustomerStore(
      createAppwriteClient({ endpoint: aisle.endpoint, projectId: PROJECT, apiKey: KEY }),
      {
        databaseId: "aisle-contract",
        pollMs: 5,
      },
    ),
    close: async () => {},
  }));

  complianceChecks("SQLite, Appwrite recorded for the conformance check", async () => {
    const { url } = createTestDatabase({ disconnected: true });
    return {
      env: {
        DATABASE_URL: url,
        CUSTOMER_STORE: "appwrite",
        APPWRITE_ENDPOINT: aisle.endpoint,
        APPWRITE_PROJECT_ID: PROJECT,
        APPWRITE_API_KEY: KEY,
        APPWRITE_DATABASE_ID: "aisle-compliance",
      },
      // Scans go straight to the server: they are the test's requests, not Aisle's.
      scan: async (needle) => [...(await scanAppwrite(direct, "aisle-compliance", needle)), ...scanSqlite(url, needle)],
      close: async () => {},
    };
  });

  describe("product mirror, recorded for the conformance check", () => {
    it("writes, updates and deletes documents, reconciles drift and removes a shop", async () => {
      const app = loadApp({
        APPWRITE_PRODUCTS: "true",
        APPWRITE_ENDPOINT: aisle.endpoint,
        APPWRITE_PROJECT_ID: PROJECT,
        APPWRITE_API_KEY: KEY,
        APPWRITE_DATABASE_ID: "aisle-mirror",
      });
      const mirror = app.services.productMirror!;
      const shop = `conformance-mirror-${randomBytes(3).toString("hex")}.myshopify.com`;
      const settle = async () => {
        await drainSync(app.services.syncEngine);
        while ((await mirror.drain()) === true);
      };
      try {
        await app.install(shop);
        for (let n = 1; n <= 3; n++) await app.deliver(shop, "products/create", restPayload(graphqlProduct(n)));
        await settle();
        const newer = graphqlProduct(1, { title: "Renamed", updatedAt: "2026-12-01T00:00:00Z" });
        await app.deliver(shop, "products/update", restPayload(newer));
        await app.deliver(shop, "products/delete", deletePayload(2));
        await settle();
        expect(await mirror.state(shop)).toMatchObject({ expected: 2, inAppwrite: 2, waiting: 0 });
        // Drift: product 3's document lost behind Aisle's back.
        const straight = new Databases(direct);
        const lost = await straight.listDocuments({
          databaseId: "aisle-mirror",
          collectionId: "products",
          queries: [Query.equal("shop", shop), Query.equal("productId", "3")],
        });
        const documentId = lost.documents[0].$id;
        await straight.deleteDocument({ databaseId: "aisle-mirror", collectionId: "products", documentId });
        expect(await mirror.reconcile(shop)).toMatchObject({ marked: 1, deleted: 0 });
        await settle();
        expect(await mirror.removeShop(shop)).toBe(2);
      } finally {
        await app.services.productIndex.dropShop(shop).catch(() => {});
        await app.close();
      }
    });
  });

  describe("error answers", () => {
    const databases = (key = KEY) =>
      new Databases(createAppwriteClient({ endpoint: provoked.endpoint, projectId: PROJECT, apiKey: key }));
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 0,
        (error: unknown) => (error instanceof AppwriteException ? error.code : -1),
      );

    it("are provoked for every status the store handles or can meet", async () => {
      const db = "aisle-contract";
      expect(await code(databases("wrong-key").list())).toBe(401);
      expect(await code(databases().get({ databaseId: "missing" }))).toBe(404);
      expect(
        await code(databases().getDocument({ databaseId: db, collectionId: "customers", documentId: "none" })),
      ).toBe(404);
      expect(await code(databases().create({ databaseId: db, name: "again" }))).toBe(409);
      expect(
        await code(
          databases().listDocuments({ databaseId: db, collectionId: "customers", queries: [Query.limit(-1)] }),
        ),
      ).toBe(400);
      expect(
        await code(
          databases().createDocument({
            databaseId: db,
            collectionId: "customers",
            documentId: "x",
            data: { nope: 1 } as never,
          }),
        ),
      ).toBe(400);
    });
  });

  describe("against the published spec", () => {
    it("every request Aisle sent matches an operation, its parameters, their types and required ones", () => {
      expect(aisle.exchanges.length).toBeGreaterThan(200);
      expect(unique(aisle.exchanges.flatMap((exchange) => checker!.checkRequest(exchange)))).toEqual([]);
    });

    it("every answer of the local server has a declared status and matches the response or error model", () => {
      const all = [...aisle.exchanges, ...provoked.exchanges];
      expect(all.filter((exchange) => exchange.status >= 400).map((exchange) => exchange.status)).toEqual(
        expect.arrayContaining([400, 401, 404, 409]),
      );
      expect(unique(all.flatMap((exchange) => checker!.checkResponse(exchange)))).toEqual([]);
    });

    it("queries are the SDK's Query helpers' output, nothing hand-written", () => {
      const sent = aisle.exchanges.flatMap((exchange) => [
        ...exchange.query.filter(([name]) => name.startsWith("queries[")).map(([, value]) => value),
        ...(((exchange.requestBody as { queries?: string[] } | undefined)?.queries ?? []) as string[]),
      ]);
      expect(sent.length).toBeGreaterThan(100);
      for (const text of sent) {
        const { method, attribute, values } = JSON.parse(text) as {
          method: string;
          attribute?: string;
          values?: unknown[];
        };
        expect(new Query(method, attribute, values as never).toString()).toBe(text);
      }
      // In the code: queries come from Query.* only (no JSON built by hand).
      for (const file of appwriteSources()) {
        expect(readFileSync(file, "utf8"), file).not.toMatch(/["'`]\{\s*\\?"method\\?"|JSON\.stringify\(\{\s*method/);
      }
    });

    it("covers every Appwrite call in Aisle's code (coverage listed below)", () => {
      const called = unique(
        appwriteSources().flatMap((file) =>
          [...readFileSync(file, "utf8").matchAll(/\bdatabases\.([a-zA-Z]+)(?:<[^>()]*>)?\(/g)].map(
            (match) => match[1],
          ),
        ),
      ).sort();
      expect(called.length).toBeGreaterThan(10);
      const seen = new Map<string, Exchange[]>();
      for (const exchange of aisle.exchanges) {
        const found = checker!.findOperation(exchange.method, exchange.path);
        if (found) seen.set(found.op.operationId, [...(seen.get(found.op.operationId) ?? []), exchange]);
      }
      const rows = called.map((method) => {
        const operationId = checker!.operationForSdkMethod("databases", method);
        const exchanges = operationId ? (seen.get(operationId) ?? []) : [];
        const statuses = unique(exchanges.map((exchange) => String(exchange.status))).sort();
        return { method, operationId, requests: exchanges.length, statuses: statuses.join(" ") };
      });
      console.info(
        `Appwrite ${checker!.version} operations Aisle uses, each checked:\n` +
          rows
            .map((r) => `  databases.${r.method} → ${r.operationId}: ${r.requests} requests (${r.statuses})`)
            .join("\n"),
      );
      expect(rows.filter((row) => !row.operationId || !row.requests)).toEqual([]);
    });
  });
});

// The same check on a real Appwrite when one is configured (a throw-away database, deleted afterwards):
// the store's requests, and that server's answers, against the published spec.
const real = {
  endpoint: process.env.APPWRITE_ENDPOINT,
  projectId: process.env.APPWRITE_PROJECT_ID,
  apiKey: process.env.APPWRITE_API_KEY,
};
const realConfigured = Boolean(real.endpoint && real.projectId && real.apiKey);
if (!realConfigured) {
  console.info(
    "Conformance on a real Appwrite skipped: set APPWRITE_ENDPOINT, APPWRITE_PROJECT_ID and APPWRITE_API_KEY.",
  );
}
describe.skipIf(!spec || !realConfigured)("Appwrite conformance on a real Appwrite", () => {
  let recorder: RecordingProxy | undefined;
  customerStoreContract(`real Appwrite (${real.endpoint}), recorded`, async () => {
    const connection = { endpoint: real.endpoint!, projectId: real.projectId!, apiKey: real.apiKey! };
    const databaseId = `aisle-conformance-${randomBytes(6).toString("hex")}`;
    const proxy = (recorder = await startRecordingProxy(connection.endpoint));
    return {
      store: new AppwriteCustomerStore(createAppwriteClient({ ...connection, endpoint: proxy.endpoint }), {
        databaseId,
        pollMs: 500,
      }),
      close: async () => {
        await new Databases(createAppwriteClient(connection)).delete({ databaseId });
        await proxy.close();
      },
    };
  });

  it("sent only requests the spec describes and got answers the spec describes", () => {
    expect(recorder?.exchanges.length).toBeGreaterThan(100);
    expect(unique(recorder!.exchanges.flatMap((exchange) => checker!.checkRequest(exchange)))).toEqual([]);
    expect(unique(recorder!.exchanges.flatMap((exchange) => checker!.checkResponse(exchange)))).toEqual([]);
  });
});

describe.skipIf(!spec)("the spec checker", () => {
  const exchange = (overrides: Partial<Exchange>): Exchange => ({
    method: "GET",
    path: "/v1/databases/db",
    query: [],
    requestHeaders: { "x-appwrite-project": "p", "x-appwrite-key": "k" },
    requestBody: undefined,
    status: 200,
    responseHeaders: { "content-type": "application/json" },
    responseBody: "",
    ...overrides,
  });
  const document = {
    $id: "d1",
    $sequence: 1,
    $collectionId: "c",
    $databaseId: "db",
    $createdAt: "2026-11-01T10:00:00.000+00:00",
    $updatedAt: "2026-11-01T10:00:00.000+00:00",
    $permissions: [],
    anything: "goes",
  };
  const docPath = "/v1/databases/db/collections/c/documents";

  it("finds literal routes before parameters and refuses unknown ones", () => {
    expect(checker!.findOperation("POST", "/v1/databases/transactions")?.op.operationId).toBe(
      "databasesCreateTransaction",
    );
    expect(checker!.findOperation("GET", "/v1/databases/transactions")?.op.operationId).toBe(
      "databasesListTransactions",
    );
    expect(checker!.checkRequest(exchange({ method: "POST", path: "/v1/databases/db" }))).toEqual([
      "POST /v1/databases/db: no operation in Appwrite 1.8.0 has this method and path",
    ]);
  });

  it("reports unknown, mistyped and missing parameters and a newer response format", () => {
    const problems = checker!.checkRequest(
      exchange({
        method: "GET",
        path: docPath,
        query: [
          ["queries[0]", '{"method":"limit","values":[1]}'],
          ["ttl", "60"],
          ["total", "maybe"],
        ],
        requestHeaders: { "x-appwrite-project": "p", "x-appwrite-key": "k", "x-appwrite-response-format": "1.9.5" },
      }),
    );
    expect(problems).toEqual([
      'databasesListDocuments query parameter "ttl" is not in the spec',
      'databasesListDocuments query parameter "total"=maybe is not a boolean',
      "databasesListDocuments asks for response format 1.9.5, newer than the 1.8.0 models checked here",
    ]);
    const create = (body: unknown) =>
      checker!.checkRequest(
        exchange({
          method: "POST",
          path: docPath,
          requestBody: body,
          requestHeaders: { ...exchange({}).requestHeaders, "content-type": "application/json" },
        }),
      );
    expect(create({ documentId: "d1", data: {} })).toEqual([]);
    expect(create({ documentId: "-bad", data: "x" })).toEqual([
      'databasesCreateDocument body.documentId: "-bad" breaks the id rule (Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore, at most 36 chars)',
      'databasesCreateDocument body.data: expected object, got "x"',
    ]);
    expect(create({ data: {} })).toEqual([
      "databasesCreateDocument body (data) fits none of createDocument(databaseId, collectionId, documentId, data) / createDocuments(databaseId, collectionId, documents)",
    ]);
  });

  it("reports answers that break the response model, undeclared statuses and malformed errors", () => {
    const answer = (status: number, body: unknown) =>
      checker!.checkResponse(exchange({ method: "POST", path: docPath, status, responseBody: JSON.stringify(body) }));
    expect(answer(201, document)).toEqual([]);
    const { $sequence: _sequence, ...withoutSequence } = document;
    expect(answer(201, { ...withoutSequence, $createdAt: "2026-11-01T10:00:00Z" })).toEqual([
      'databasesCreateDocument response: required property "$sequence" is missing',
      'databasesCreateDocument response.$createdAt: "2026-11-01T10:00:00Z" is not in Appwrite\'s datetime format (like 2020-10-15T06:38:00.000+00:00)',
    ]);
    expect(answer(200, document)).toEqual([`POST ${docPath} → 200: databasesCreateDocument declares 201, not 200`]);
    expect(answer(404, { message: "gone", code: "404", type: "document_not_found", version: "1.8.0" })).toEqual([
      `POST ${docPath} → 404: error code "404" differs from the status`,
    ]);
    expect(answer(418, { message: "teapot", code: 418, version: "1.8.0" })).toEqual([
      `POST ${docPath} → 418: 418 is not a status Appwrite answers with`,
      `POST ${docPath} → 418 error: required property "type" is missing`,
    ]);
  });
});

/** Every file in app/ that talks to Appwrite through node-appwrite. */
function appwriteSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        if (readFileSync(full, "utf8").includes('from "node-appwrite"')) files.push(full);
      }
    }
  };
  walk(path.resolve("app"));
  return files;
}
