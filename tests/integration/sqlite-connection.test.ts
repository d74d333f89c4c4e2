// The app's SQLite client: one better-sqlite3 connection shared by every caller in the process.
// Plain queries must not run inside another caller's open transaction (and be undone by its rollback).
import { expect, it } from "vitest";
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

it("runs in WAL mode with synchronous=NORMAL", async () => {
  const { prisma } = createTestDatabase();
  const [journal] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  const [sync] = await prisma.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
  expect(journal.journal_mode).toBe("wal");
  expect(Number(sync.synchronous)).toBe(1);
  await prisma.$disconnect();
});
