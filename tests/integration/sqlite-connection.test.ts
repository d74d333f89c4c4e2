// The app's SQLite client: one better-sqlite3 connection shared by every caller in the process.
// Plain queries must not run inside another caller's open transaction (and be undone by its rollback).
import { spawn } from "node:child_process";
import net from "node:net";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { expect, it } from "vitest";
import { createSerializedSqliteAdapter } from "../../app/lib/db/serialized-sqlite-adapter.server";
import { createTestDatabase } from "../helpers/database";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("a write issued while another transaction is open survives that transaction's rollback", async () => {
  const { prisma } = createTestDatabase();
  const failing = prisma
    .$transaction(async (tx) => {
      await tx.shop.create({ data: { domain: "rolled-back.myshopify.com" } });
      await sleep(200);
      throw new Error("give up");
    })
    .catch((error: Error) => error.message);
  await sleep(20);
  await prisma.shop.create({ data: { domain: "independent.myshopify.com" } });
  expect(await failing).toBe("give up");
  const shops = await prisma.shop.findMany({ select: { domain: true } });
  expect(shops.map((s) => s.domain)).toEqual(["independent.myshopify.com"]);
  await prisma.$disconnect();
});

it("a read issued while another transaction is open does not see its uncommitted writes", async () => {
  const { prisma } = createTestDatabase();
  let releaseTransaction = () => {};
  const open = prisma.$transaction(async (tx) => {
    await tx.shop.create({ data: { domain: "uncommitted.myshopify.com" } });
    await new Promise<void>((resolve) => (releaseTransaction = resolve));
    throw new Error("roll back");
  });
  await sleep(20);
  const read = prisma.shop.count();
  await sleep(50);
  releaseTransaction();
  await expect(open).rejects.toThrow("roll back");
  expect(await read).toBe(0);
  await prisma.$disconnect();
});

// Several app processes share one SQLite file. A transaction that read before another process's commit
// cannot then write in WAL mode: SQLite refuses it at once ("database is locked"), whatever the busy
// timeout. Transactions therefore take the write lock when they begin.
it("transactions that read then write are not refused while another process writes the same file", async () => {
  const { prisma, url } = createTestDatabase();
  await prisma.$executeRawUnsafe("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  await prisma.$executeRawUnsafe("CREATE TABLE other_process (id INTEGER PRIMARY KEY AUTOINCREMENT)");
  await prisma.$executeRawUnsafe("INSERT INTO counter (id, n) VALUES (1, 0)");
  // The other process: a write every couple of milliseconds, waiting for the lock like the app does.
  const writer = spawn(
    process.execPath,
    [
      "-e",
      `const db = new (require("better-sqlite3"))(process.argv[1]);
       db.pragma("busy_timeout = 5000");
       const insert = db.prepare("INSERT INTO other_process DEFAULT VALUES");
       const pause = new Int32Array(new SharedArrayBuffer(4));
       console.log("ready");
       for (const end = Date.now() + 1500; Date.now() < end; ) { insert.run(); Atomics.wait(pause, 0, 0, 2); }
       db.close();`,
      url.replace(/^file:/, ""),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve) => writer.on("exit", resolve));
  await new Promise((resolve) => writer.stdout.once("data", resolve));
  const increments = 40;
  const failures: string[] = [];
  for (let n = 0; n < increments; n++) {
    await prisma
      .$transaction(async (tx) => {
        const [row] = await tx.$queryRawUnsafe<{ n: number }[]>("SELECT n FROM counter WHERE id = 1");
        await sleep(10); // the other process commits meanwhile
        await tx.$executeRawUnsafe("UPDATE counter SET n = ? WHERE id = 1", Number(row.n) + 1);
      })
      .catch((error: Error) => failures.push(error.message));
  }
  expect(await exited).toBe(0);
  expect(failures).toEqual([]);
  const [counter] = await prisma.$queryRawUnsafe<{ n: number }[]>("SELECT n FROM counter WHERE id = 1");
  expect(Number(counter.n)).toBe(increments);
  const [written] = await prisma.$queryRawUnsafe<{ c: number }[]>("SELECT count(*) AS c FROM other_process");
  expect(Number(written.c)).toBeGreaterThan(0);
  await prisma.$disconnect();
});

it("runs in WAL mode with synchronous=NORMAL", async () => {
  const { prisma } = createTestDatabase();
  const [journal] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  const [sync] = await prisma.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
  expect(journal.journal_mode).toBe("wal");
  expect(Number(sync.synchronous)).toBe(1);
  await prisma.$disconnect();
});

// better-sqlite3 answers synchronously: without turns, callers' chains of statements all ran in one
// event-loop turn, and libuv accepts one new connection per turn, so a burst's new connections waited
// in the kernel while the statements ran (decision 123).
it("new connections are accepted while many callers' statements are running", async () => {
  // A budget of 0: one statement per turn, so the count below does not depend on the machine's speed.
  const { url } = createTestDatabase({ disconnected: true });
  const prisma = new PrismaClient({ adapter: createSerializedSqliteAdapter(new PrismaBetterSQLite3({ url }), 0) });
  await prisma.shop.count(); // connect and apply the pragmas before counting
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  let statements = 0;
  const doneAtAccept: number[] = [];
  server.on("connection", () => doneAtAccept.push(statements));
  const clients = Array.from({ length: 10 }, () => net.connect(port, "127.0.0.1").on("error", () => {}));
  // 20 callers, 40 statements each, all waiting for the one connection.
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let n = 0; n < 40; n++) {
        await prisma.shop.count();
        statements += 1;
      }
    }),
  );
  while (doneAtAccept.length < clients.length) await new Promise((resolve) => setImmediate(resolve));
  clients.forEach((client) => client.destroy());
  server.close();
  await prisma.$disconnect();
  // Each turn runs one statement: the ten connections are in after a few dozen statements of 800.
  expect(doneAtAccept).toHaveLength(10);
  expect(Math.max(...doneAtAccept)).toBeLessThan(100);
});
