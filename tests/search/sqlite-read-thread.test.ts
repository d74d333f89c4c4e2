// SQLite's full-text ranking runs on a read-only connection in a thread of its own (decision 143):
// it reads what the app's connection committed, never writes, leaves this thread's event loop free,
// and a bad statement or a dead thread fails only its own calls.
import { Worker } from "node:worker_threads";
import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SQLITE_READ_HEAP,
  SQLITE_READ_THREAD,
  SqliteReadThread,
  spawnSqliteReadWorker,
} from "../../app/lib/db/sqlite-read-thread.server";
import { sqliteFilePath } from "../../app/lib/db/sqlite-file.server";
import { createCatalogStore } from "../../app/lib/search/sql-catalog-store.server";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { createTestDatabase } from "../helpers/database";
import { makeProduct } from "./products";

const SHOP = "read-thread.myshopify.com";

/** Resolves after `turns` turns of this thread's event loop. */
async function eventLoopTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe("the SQLite read thread", () => {
  const { url, prisma } = createTestDatabase();
  const workers: Worker[] = [];
  const reader = new SqliteReadThread(url, () => {
    const worker = spawnSqliteReadWorker(url);
    workers.push(worker);
    return worker;
  });
  const ids = async () =>
    (
      await reader.query<{ id: string }>(
        Prisma.sql`SELECT "productId" AS id FROM "SearchProduct" WHERE "shop" = ${SHOP} ORDER BY id`,
      )
    ).map((row) => row.id);
  const addProduct = (productId: string, available: boolean) =>
    prisma.$executeRaw(Prisma.sql`
      INSERT INTO "SearchProduct" ("shop", "productId", "handle", "title", "vendor", "productType", "tags",
        "optionValues", "skus", "barcodes", "keywords", "text", "minPrice", "maxPrice", "available", "metadata",
        "contentHash", "metadataHash", "updatedAt")
      VALUES (${SHOP}, ${productId}, ${productId}, 'T', 'V', 'P', '', '', '', '', '[]', 'text', 10, 10, ${available},
        ${JSON.stringify(buildProductDocument(makeProduct({ id: productId, title: "T" })).metadata)}, 'c', 'm', ${new Date()})`);

  beforeAll(async () => {
    await addProduct("p1", true);
  });
  afterAll(async () => {
    await reader.close();
    await prisma.$disconnect();
  });

  it("reads what the app's connection committed, then what it commits later", async () => {
    expect(await ids()).toEqual(["p1"]);
    await addProduct("p2", false);
    expect(await ids()).toEqual(["p1", "p2"]);
  });

  it("binds booleans as Prisma stores them", async () => {
    const rows = await reader.query<{ id: string }>(
      Prisma.sql`SELECT "productId" AS id FROM "SearchProduct" WHERE "shop" = ${SHOP} AND "available" = ${false}`,
    );
    expect(rows).toEqual([{ id: "p2" }]);
  });

  it("refuses to write, with the database's error, and changes nothing", async () => {
    await expect(
      reader.query(Prisma.sql`DELETE FROM "SearchProduct" WHERE "shop" = ${SHOP} RETURNING "productId"`),
    ).rejects.toThrow(/SQLite read: .*readonly/i);
    await expect(reader.query(Prisma.sql`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/SQLite read: no such table/);
    expect(await ids()).toEqual(["p1", "p2"]);
  });

  it("leaves this thread's event loop free while a statement runs", async () => {
    // ~1 s of SQLite work: on this thread, 200 turns could not pass before it ended.
    const slow = reader.query<{ n: number }>(Prisma.sql`
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT count(*) AS n FROM c`);
    const order: string[] = [];
    await Promise.all([eventLoopTurns(200).then(() => order.push("turns")), slow.then(() => order.push("statement"))]);
    expect(order).toEqual(["turns", "statement"]);
    expect(await slow).toEqual([{ n: 3000000 }]);
  });

  it("rejects the calls pending on a thread that dies, and the next call starts a new thread", async () => {
    expect(await ids()).toEqual(["p1", "p2"]);
    const pending = reader.query(Prisma.sql`
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT count(*) FROM c`);
    // Ended from outside, as a crash would end it (once the running statement returns to JavaScript).
    await workers.at(-1)!.terminate();
    await expect(pending).rejects.toThrow(/SQLite read thread stopped/);
    expect(await ids()).toEqual(["p1", "p2"]);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    expect(workers.at(-1)!.resourceLimits).toMatchObject(SQLITE_READ_HEAP);
  });

  it("opens its connection again after so many statements, and every statement, cached or not, still answers", async () => {
    // Every two new statements here (the app: 256), as each shop's full-text table stays open on a
    // connection until it closes (decision 145).
    const thread = new SqliteReadThread(
      url,
      () =>
        new Worker(new URL("../../app/lib/db/sqlite-read-worker.mjs", import.meta.url), {
          workerData: { file: sqliteFilePath(url), ...SQLITE_READ_THREAD, reopenAfterStatements: 2 },
        }),
    );
    const count = (n: number) =>
      thread.query<{ n: number }>(
        Prisma.sql`SELECT count(*) + ${n} - ${n} AS n FROM "SearchProduct" WHERE "shop" = ${SHOP} AND ${n} = ${n}`,
      );
    const numbered = (n: number) => Prisma.raw(`SELECT ${n} AS n`);
    for (let n = 0; n < 7; n++) {
      expect(await thread.query(numbered(n))).toEqual([{ n }]);
      // The first statement again: cached on the connection it was prepared on, or prepared anew.
      expect(await thread.query(numbered(0))).toEqual([{ n: 0 }]);
      expect(await count(n)).toEqual([{ n: 2 }]);
    }
    await thread.close();
  });

  it("starts when the catalog store is made ready (at boot), and the store's searches rank on it", async () => {
    const started: Worker[] = [];
    const store = createCatalogStore(
      prisma,
      "sqlite",
      new SqliteReadThread(url, () => {
        const worker = spawnSqliteReadWorker(url);
        started.push(worker);
        return worker;
      }),
    );
    expect(started).toHaveLength(0);
    await store.ready();
    expect(started).toHaveLength(1);
    // Made ready, the store gave the rows above (written without it) their shop's full-text table;
    // the ranking runs on the same thread.
    expect(await store.lexical(SHOP, "anything", {}, 10)).toEqual([]);
    expect((await store.lexical(SHOP, "text", {}, 10)).map((hit) => hit.id).sort()).toEqual(await ids());
    expect(started).toHaveLength(1);
    const exited = new Promise((resolve) => started[0].once("exit", resolve));
    await store.close();
    await exited;
  });
});
