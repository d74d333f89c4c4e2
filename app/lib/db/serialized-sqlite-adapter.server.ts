// SQLite through better-sqlite3 is a single connection per Prisma client. Prisma's adapter opens an
// interactive transaction with BEGIN on that connection and serialises transactions with each other,
// but a plain query issued meanwhile by other code in the process (a webhook intake, the worker's
// lease update, a chat message) runs on the same connection: inside the open transaction, committed
// or rolled back with it. A duplicate webhook's unique violation would then silently undo unrelated
// writes. This wrapper makes plain queries wait for the open transaction (decision 041).
// better-sqlite3 answers synchronously, so without a pause a request's (or a worker's) whole chain of
// statements would run inside one event-loop turn, and a burst's in-flight requests would all run in
// the same long turn. libuv accepts at most one new connection per turn, so new connections waited
// seconds in the kernel's queue while the open ones were served. Each statement and transaction is
// therefore started on a later turn, as a networked database's answer would arrive (decision 123).
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Prisma } from "@prisma/client";
import { Mutex } from "async-mutex";

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type AdapterFactory = NonNullable<Prisma.PrismaClientOptions["adapter"]>;

/** Per-connection settings (WAL itself is recorded in the file; synchronous and busy_timeout are not). */
export const SQLITE_CONNECTION_PRAGMAS = [
  // Readers do not block the writer and the writer does not block readers (other processes too).
  "PRAGMA journal_mode = WAL",
  // In WAL mode: durable across process crashes; a power loss may drop the last commits, which the
  // periodic reconciliation repairs. One fsync per checkpoint instead of per commit (webhook intake).
  "PRAGMA synchronous = NORMAL",
  // Another process holding the write lock: wait for it rather than fail at once.
  "PRAGMA busy_timeout = 5000",
];

function serializeTransaction(transaction: Transaction, release: () => void): Transaction {
  let released = false;
  const releaseOnce = () => {
    if (!released) release();
    released = true;
  };
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query) => transaction.queryRaw(query),
    executeRaw: (query) => transaction.executeRaw(query),
    commit: () => transaction.commit().finally(releaseOnce),
    rollback: () => transaction.rollback().finally(releaseOnce),
  };
}

/**
 * A FIFO of callers that each get one event-loop turn: one waiter is released per turn, after the
 * turn's I/O (new connections included) has been polled. What the released caller runs until it
 * waits again is that turn's share of the work.
 */
export class TurnQueue {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  get length(): number {
    return this.waiting.length;
  }

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate set from within an immediate runs on the next turn: one release per turn.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}

export function serializeAdapter(adapter: Adapter): Adapter {
  const mutex = new Mutex();
  const turns = new TurnQueue();
  // The turn comes before the mutex, never while holding it: a transaction's own statements do not
  // wait for turns, so it holds the connection no longer than before.
  const exclusive = async <T>(run: () => Promise<T>) => {
    await turns.next();
    return mutex.runExclusive(run);
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => exclusive(() => adapter.queryRaw(query)),
    executeRaw: (query) => exclusive(() => adapter.executeRaw(query)),
    executeScript: (script) => exclusive(() => adapter.executeScript(script)),
    async startTransaction(isolationLevel) {
      await turns.next();
      const release = await mutex.acquire();
      try {
        return serializeTransaction(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
    dispose: () => adapter.dispose(),
  };
}

/** The better-sqlite3 adapter factory with serialised plain queries and the connection pragmas applied. */
export function createSerializedSqliteAdapter(factory: PrismaBetterSQLite3): AdapterFactory {
  const open = async (connect: () => Promise<Adapter>) => {
    const adapter = serializeAdapter(await connect());
    await adapter.executeScript(SQLITE_CONNECTION_PRAGMAS.join(";\n"));
    return adapter;
  };
  return {
    provider: "sqlite",
    adapterName: factory.adapterName,
    connect: () => open(() => factory.connect()),
  };
}
