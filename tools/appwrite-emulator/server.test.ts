// The emulator through the real node-appwrite client: the behaviours the customer store relies on
// and the errors Appwrite gives for mistakes (codes and types from Appwrite's error catalogue).
import { AppwriteException, Client, Databases, DatabasesIndexType, Query } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy";
import { startAppwriteEmulator, type RunningAppwriteEmulator } from "./server";
import { AppwriteSpecChecker, loadAppwriteSpec } from "./spec-check";

let emulator: RunningAppwriteEmulator;
/** Every exchange of the main client, checked against Appwrite's published spec at the end. */
let recorder: RecordingProxy;
let databases: Databases;
const db = "emulator-test";

async function failure(promise: Promise<unknown>): Promise<AppwriteException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppwriteException) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

async function available(collectionId = "items") {
  // Attributes and indexes are built asynchronously, as on a real server.
  for (;;) {
    const { attributes } = await databases.listAttributes({ databaseId: db, collectionId });
    if (attributes.every((a) => (a as { status: string }).status === "available")) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  // Long enough that "still processing" right after a create holds on a loaded machine; the tests wait
  // for "available" by polling, so this costs well under a second per wait.
  emulator = await startAppwriteEmulator({ projectId: "p", apiKey: "k", buildDelayMs: 500 });
  recorder = await startRecordingProxy(emulator.endpoint);
  databases = new Databases(createAppwriteClient({ endpoint: recorder.endpoint, projectId: "p", apiKey: "k" }));
  await databases.create({ databaseId: db, name: "Test" });
  await databases.createCollection({ databaseId: db, collectionId: "items", name: "Items" });
  await databases.createStringAttribute({
    databaseId: db,
    collectionId: "items",
    key: "name",
    size: 8,
    required: true,
  });
  await databases.createIntegerAttribute({ databaseId: db, collectionId: "items", key: "rank", required: false });
  await databases.createDatetimeAttribute({ databaseId: db, collectionId: "items", key: "at", required: false });
  await databases.createStringAttribute({
    databaseId: db,
    collectionId: "items",
    key: "tags",
    size: 16,
    required: false,
    array: true,
  });
});
afterAll(async () => {
  await recorder.close();
  await emulator.stop();
});

describe("Appwrite emulator", () => {
  it("authenticates the project and the API key", async () => {
    const noKey = new Databases(createAppwriteClient({ endpoint: recorder.endpoint, projectId: "p" }));
    expect(await failure(noKey.list())).toMatchObject({ code: 401, type: "general_unauthorized_scope" });
    const wrongProject = new Databases(
      createAppwriteClient({ endpoint: recorder.endpoint, projectId: "x", apiKey: "k" }),
    );
    expect(await failure(wrongProject.list())).toMatchObject({ code: 404, type: "project_not_found" });
  });

  it("reports attributes as processing first and refuses documents that use them until available", async () => {
    // Its own server with a slow build, so "still processing" does not depend on machine load.
    const slow = await startAppwriteEmulator({ projectId: "p", apiKey: "k", buildDelayMs: 1500 });
    try {
      const api = new Databases(new Client().setEndpoint(slow.endpoint).setProject("p").setKey("k"));
      await api.create({ databaseId: db, name: "Slow" });
      await api.createCollection({ databaseId: db, collectionId: "items", name: "Items" });
      const fresh = await api.createBooleanAttribute({
        databaseId: db,
        collectionId: "items",
        key: "late",
        required: false,
      });
      expect(fresh.status).toBe("processing");
      const document = { databaseId: db, collectionId: "items", documentId: "early", data: { late: true } };
      const early = await failure(api.createDocument(document));
      expect(early).toMatchObject({ code: 400, type: "document_invalid_structure" });
      expect(early.message).toContain('Unknown attribute: "late"');
      for (;;) {
        const { attributes } = await api.listAttributes({ databaseId: db, collectionId: "items" });
        if ((attributes[0] as { status: string }).status === "available") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const created = await api.createDocument(document);
      expect(created).toMatchObject({ $id: "early", $collectionId: "items", $databaseId: db, late: true });
      expect(created.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    } finally {
      await slow.stop();
    }
  });

  it("validates documents like Appwrite: required, sizes, types, ids, duplicates", async () => {
    await available();
    const create = (documentId: string, data: Record<string, unknown>) =>
      databases.createDocument({ databaseId: db, collectionId: "items", documentId, data });
    expect(await failure(create("r1", { rank: 1 }))).toMatchObject({ code: 400, type: "document_invalid_structure" });
    expect(await failure(create("r2", { name: "way too long" }))).toMatchObject({
      code: 400,
      type: "document_invalid_structure",
    });
    expect(await failure(create("r3", { name: "a", rank: 1.5 }))).toMatchObject({
      code: 400,
      type: "document_invalid_structure",
    });
    expect(await failure(create("r4", { name: "a", at: "not a date" }))).toMatchObject({ code: 400 });
    expect(await failure(create("_bad", { name: "a" }))).toMatchObject({ code: 400, type: "general_argument_invalid" });
    await create("dup", { name: "a" });
    expect(await failure(create("dup", { name: "b" }))).toMatchObject({ code: 409, type: "document_already_exists" });
    expect(
      await failure(databases.getDocument({ databaseId: db, collectionId: "items", documentId: "missing" })),
    ).toMatchObject({ code: 404, type: "document_not_found" });
    expect(await failure(databases.get({ databaseId: "nope" }))).toMatchObject({
      code: 404,
      type: "database_not_found",
    });
    expect(
      await failure(
        databases.createStringAttribute({
          databaseId: db,
          collectionId: "items",
          key: "name",
          size: 8,
          required: true,
        }),
      ),
    ).toMatchObject({ code: 409, type: "attribute_already_exists" });
  });

  it("filters, orders and pages with the SDK's Query syntax", async () => {
    await available();
    await databases.createCollection({ databaseId: db, collectionId: "q", name: "Q" });
    await databases.createStringAttribute({ databaseId: db, collectionId: "q", key: "group", size: 8, required: true });
    await databases.createIntegerAttribute({ databaseId: db, collectionId: "q", key: "n", required: true });
    await databases.createDatetimeAttribute({ databaseId: db, collectionId: "q", key: "at", required: true });
    await available("q");
    for (let n = 0; n < 7; n++) {
      await databases.createDocument({
        databaseId: db,
        collectionId: "q",
        documentId: `d${n}`,
        data: { group: n % 2 ? "odd" : "even", n, at: new Date(Date.UTC(2026, 0, n + 1)).toISOString() },
      });
    }
    const list = (queries: string[]) => databases.listDocuments({ databaseId: db, collectionId: "q", queries });
    const ids = async (queries: string[]) => (await list(queries)).documents.map((d) => d.$id);

    expect(await ids([Query.equal("group", "odd"), Query.orderDesc("n")])).toEqual(["d5", "d3", "d1"]);
    expect(await ids([Query.equal("n", [0, 6])])).toEqual(["d0", "d6"]);
    expect(await ids([Query.lessThan("at", "2026-01-03T00:00:00.000Z")])).toEqual(["d0", "d1"]);
    const page = await list([Query.orderAsc("n"), Query.limit(2)]);
    expect([page.total, page.documents.map((d) => d.$id)]).toEqual([7, ["d0", "d1"]]);
    expect(await ids([Query.orderAsc("n"), Query.limit(2), Query.cursorAfter("d1")])).toEqual(["d2", "d3"]);
    // Keyset paging: the cursor document need not match the filter.
    expect(await ids([Query.equal("group", "odd"), Query.orderAsc("n"), Query.cursorAfter("d2")])).toEqual([
      "d3",
      "d5",
    ]);

    expect(await failure(list([Query.equal("missing", "x")]))).toMatchObject({
      code: 400,
      type: "general_query_invalid",
    });
    expect(await failure(list([Query.limit(5001)]))).toMatchObject({ code: 400, type: "general_query_invalid" });
    expect(await failure(list([Query.search("group", "odd")]))).toMatchObject({
      code: 400,
      type: "general_query_invalid",
    });
    expect(await failure(list([Query.cursorAfter("gone")]))).toMatchObject({
      code: 400,
      type: "general_cursor_not_found",
    });
    const tooMany = Array.from({ length: 101 }, () => Query.equal("group", "odd"));
    expect(await failure(list(tooMany))).toMatchObject({ code: 400, type: "general_argument_invalid" });
  });

  it("updates and deletes documents, and builds indexes only on available attributes", async () => {
    await available();
    await databases.createDocument({
      databaseId: db,
      collectionId: "items",
      documentId: "u1",
      data: { name: "a", tags: ["x"] },
    });
    const updated = await databases.updateDocument({
      databaseId: db,
      collectionId: "items",
      documentId: "u1",
      data: { rank: 3 },
    });
    expect(updated).toMatchObject({ name: "a", rank: 3, tags: ["x"] });
    await databases.deleteDocument({ databaseId: db, collectionId: "items", documentId: "u1" });
    expect(
      await failure(databases.getDocument({ databaseId: db, collectionId: "items", documentId: "u1" })),
    ).toMatchObject({ code: 404 });

    await databases.createIntegerAttribute({ databaseId: db, collectionId: "items", key: "fresh", required: false });
    expect(
      await failure(
        databases.createIndex({
          databaseId: db,
          collectionId: "items",
          key: "by_fresh",
          type: DatabasesIndexType.Key,
          attributes: ["fresh"],
        }),
      ),
    ).toMatchObject({ code: 400, type: "attribute_not_available" });
    await available();
    const index = await databases.createIndex({
      databaseId: db,
      collectionId: "items",
      key: "by_fresh",
      type: DatabasesIndexType.Key,
      attributes: ["fresh"],
    });
    expect(index).toMatchObject({ key: "by_fresh", status: "processing", attributes: ["fresh"] });
  });
});

describe("Appwrite emulator: bulk operations and transactions (1.8)", () => {
  const items = { databaseId: db, collectionId: "items" };
  const OURS = ["t1", "t2", "t3", "t4", "t5", "t6", "t7"];
  const names = async () =>
    (await databases.listDocuments({ ...items, queries: [Query.equal("$id", OURS), Query.limit(100)] })).documents
      .map((doc) => `${doc.$id}:${String(doc.name)}`)
      .sort();
  const clear = () => databases.deleteDocuments({ ...items, queries: [Query.equal("$id", OURS)] });

  it("updates and deletes every document a query matches, and only those", async () => {
    await available();
    for (const [id, rank] of [
      ["t1", 1],
      ["t2", 2],
      ["t3", 3],
    ] as const) {
      await databases.createDocument({ ...items, documentId: id, data: { name: "old", rank } });
    }
    const updated = await databases.updateDocuments({
      ...items,
      data: { name: "new" },
      queries: [Query.equal("$id", OURS), Query.lessThanEqual("rank", 2)],
    });
    expect(updated.total).toBe(2);
    expect(await names()).toEqual(["t1:new", "t2:new", "t3:old"]);
    const deleted = await databases.deleteDocuments({ ...items, queries: [Query.equal("$id", ["t1", "t3"])] });
    expect(deleted.documents.map((doc) => doc.$id).sort()).toEqual(["t1", "t3"]);
    expect(await names()).toEqual(["t2:new"]);
    await clear();
  });

  it("stages writes in a transaction, applies them all on commit and none on rollback", async () => {
    const tx = await databases.createTransaction({});
    expect(tx).toMatchObject({ status: "pending", operations: 0 });
    await databases.createDocument({ ...items, documentId: "t4", data: { name: "a" }, transactionId: tx.$id });
    await databases.createDocument({ ...items, documentId: "t5", data: { name: "b" }, transactionId: tx.$id });
    expect(await names()).toEqual([]); // nothing visible before the commit
    const committed = await databases.updateTransaction({ transactionId: tx.$id, commit: true });
    expect(committed).toMatchObject({ status: "committed", operations: 2 });
    expect(await names()).toEqual(["t4:a", "t5:b"]);

    const discarded = await databases.createTransaction({});
    await databases.deleteDocuments({
      ...items,
      queries: [Query.equal("$id", OURS)],
      transactionId: discarded.$id,
    });
    expect(await databases.updateTransaction({ transactionId: discarded.$id, rollback: true })).toMatchObject({
      status: "failed",
    });
    expect(await names()).toEqual(["t4:a", "t5:b"]);
    expect(await failure(databases.updateTransaction({ transactionId: discarded.$id, commit: true }))).toMatchObject({
      code: 400,
      type: "transaction_not_ready",
    });
    expect(await failure(databases.getTransaction({ transactionId: "nope" }))).toMatchObject({
      code: 404,
      type: "transaction_not_found",
    });
    await clear();
  });

  it("fails the whole commit with 409 when a staged document changed after staging, or a staged create exists", async () => {
    await databases.createDocument({ ...items, documentId: "t6", data: { name: "v1" } });
    const tx = await databases.createTransaction({});
    await databases.createDocument({ ...items, documentId: "t7", data: { name: "new" }, transactionId: tx.$id });
    await databases.updateDocument({ ...items, documentId: "t6", data: { name: "v2" }, transactionId: tx.$id });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await databases.updateDocument({ ...items, documentId: "t6", data: { name: "other" } }); // someone else
    expect(await failure(databases.updateTransaction({ transactionId: tx.$id, commit: true }))).toMatchObject({
      code: 409,
      type: "transaction_conflict",
    });
    expect(await databases.getTransaction({ transactionId: tx.$id })).toMatchObject({ status: "failed" });
    expect(await names()).toEqual(["t6:other"]); // t7 was not created either

    const duplicate = await databases.createTransaction({});
    await databases.createDocument({ ...items, documentId: "t6", data: { name: "dup" }, transactionId: duplicate.$id });
    expect(await failure(databases.updateTransaction({ transactionId: duplicate.$id, commit: true }))).toMatchObject({
      code: 409,
      type: "transaction_conflict",
    });
    await clear();
  });

  it("behaves as an older server when told to: no transactions before 1.8, no bulk operations before 1.7", async () => {
    for (const version of ["1.7.4", "1.6.2"]) {
      const old = await startAppwriteEmulator({ projectId: "p", apiKey: "k", buildDelayMs: 1, version });
      try {
        const api = new Databases(createAppwriteClient({ endpoint: old.endpoint, projectId: "p", apiKey: "k" }));
        expect(await failure(api.createTransaction({}))).toMatchObject({ code: 404, type: "general_route_not_found" });
        await api.create({ databaseId: db, name: "Old" });
        await api.createCollection({ ...items, name: "Items" });
        await api.createStringAttribute({ ...items, key: "name", size: 8, required: false });
        await new Promise((resolve) => setTimeout(resolve, 20));
        // A transactionId is a parameter an old server does not know: it ignores it and writes at once.
        await api.createDocument({ ...items, documentId: "t8", data: { name: "now" }, transactionId: "whatever" });
        expect((await api.listDocuments(items)).total).toBe(1);
        const bulk = api.deleteDocuments({ ...items, queries: [Query.equal("$id", "t8")] });
        if (version === "1.7.4") expect((await bulk).total).toBe(1);
        else expect(await failure(bulk)).toMatchObject({ code: 404, type: "general_route_not_found" });
      } finally {
        await old.stop();
      }
    }
  });
});

const spec = loadAppwriteSpec();
if (!spec) console.info("Emulator answers not checked against Appwrite's spec: ../shared/data/appwrite is absent.");

describe.skipIf(!spec)("Appwrite emulator against Appwrite's published spec", () => {
  it("answered every request above with a declared status and the spec's response or error model", () => {
    const checker = new AppwriteSpecChecker(spec!);
    expect(recorder.exchanges.length).toBeGreaterThan(30);
    expect(new Set(recorder.exchanges.map((exchange) => exchange.status))).toEqual(
      new Set([200, 201, 202, 204, 400, 401, 404, 409]),
    );
    expect([...new Set(recorder.exchanges.flatMap((exchange) => checker.checkResponse(exchange)))]).toEqual([]);
  });
});
