// SQLite through better-sqlite3 is a single connection per Prisma client. Prisma's adapter opens an
// interactive transaction with BEGIN on that connection and serialises transactions with each other,
// but a plain query issued meanwhile by other code in the process (a webhook intake, the worker's
// lease update, a chat message) runs on the same connection: inside the open transaction, committed
// or rolled back with it. A duplicate webhook's unique violation would then silently undo unrelated
// writes. This wrapper makes plain queries wait for the open transaction (decision 041).
// better-sqlite3 answers synchronously, so every caller's whole chain of statements ran inside one
// event-loop turn, and under a burst one turn held a share of every in-flight request. libuv accepts
// at most one new connection per turn, so a burst's new connections waited seconds in the kernel's
// queue while requests on open connections were served. Statements and transactions therefore start
// in arrival order, and once a turn has run SQLITE_TURN_BUDGET_MS the rest wait for the next turn
// (decision 123). Transactions begin IMMEDIATE, so other processes sharing the file cannot make them
// fail half-way (decision 139).
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Prisma } from "@prisma/client";

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

const statement = (sql: string) => ({ sql, args: [], argTypes: [] });

/**
 * A transaction on the shared connection that holds the write lock from its start. Prisma's client
 * engine sends COMMIT and ROLLBACK itself (usePhantomQuery false), then calls commit/rollback here.
 */
async function beginImmediate(adapter: Adapter, release: () => void): Promise<Transaction> {
  // Another process's writes: BEGIN IMMEDIATE waits for them (busy_timeout); a deferred BEGIN would
  // read first and be refused at its first write if they committed in between (decision 139).
  await adapter.executeRaw(statement("BEGIN IMMEDIATE"));
  let released = false;
  const releaseOnce = () => {
    if (!released) release();
    released = true;
    return Promise.resolve();
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    options: { usePhantomQuery: false },
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    commit: releaseOnce,
    rollback: releaseOnce,
  };
}

/** Database work one event-loop turn may start before the rest waits for the next turn. */
export const SQLITE_TURN_BUDGET_MS = 10;

/**
 * The connection's mutex, granted in arrival order, that also keeps each event-loop turn short: once
 * `budgetMs` of the current turn has passed, the next plain holder waits for the next turn, after the
 * loop has polled its I/O (new connections included). Each turn grants at least one holder. Urgent
 * holders (transaction starts, which Prisma's `maxWait` bounds) go first and never wait for a turn.
 */
export class TurnMutex {
  private readonly waiting: (() => void)[] = [];
  private readonly urgent: (() => void)[] = [];
  private held = false;
  private scheduled = false;
  private turnStarted = -Infinity;

  constructor(
    private readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves with the release function (idempotent) once the caller holds the connection. */
  async acquire(options: { urgent?: boolean } = {}): Promise<() => void> {
    await new Promise<void>((resolve) => {
      (options.urgent ? this.urgent : this.waiting).push(resolve);
      this.grantNext();
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held = false;
      this.grantNext();
    };
  }

  async runExclusive<T>(run: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  }

  private grantNext() {
    if (this.held) return;
    if (this.urgent.length > 0 || (this.waiting.length > 0 && this.now() - this.turnStarted < this.budgetMs)) {
      return this.grant();
    }
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // Immediates run after the loop's poll phase; one set from within an immediate, on the next turn.
    setImmediate(() => {
      this.scheduled = false;
      this.turnStarted = this.now();
      if (!this.held) this.grant();
    });
  }

  private grant() {
    const next = this.urgent.shift() ?? this.waiting.shift();
    if (!next) return;
    this.held = true;
    next();
  }
}

export function serializeAdapter(adapter: Adapter, turnBudgetMs = SQLITE_TURN_BUDGET_MS): Adapter {
  // A transaction holds the connection from BEGIN to COMMIT: its own statements never wait for a turn,
  // nor does its start (intake's 2 s maxWait; a 500 lets Shopify retry, but not for a queue of ours).
  const mutex = new TurnMutex(turnBudgetMs);
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => mutex.runExclusive(() => adapter.queryRaw(query)),
    executeRaw: (query) => mutex.runExclusive(() => adapter.executeRaw(query)),
    executeScript: (script) => mutex.runExclusive(() => adapter.executeScript(script)),
    async startTransaction(isolationLevel) {
      // SQLite's transactions are serialisable; the library's adapter refuses any other level.
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") return adapter.startTransaction(isolationLevel);
      const release = await mutex.acquire({ urgent: true });
      try {
        return await beginImmediate(adapter, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    dispose: () => adapter.dispose(),
  };
}

/**
 * The better-sqlite3 adapter factory with serialised plain queries and the connection pragmas applied.
 * `turnBudgetMs`: see TurnMutex (0: one statement or transaction per turn).
 */
export function createSerializedSqliteAdapter(
  factory: PrismaBetterSQLite3,
  turnBudgetMs = SQLITE_TURN_BUDGET_MS,
): AdapterFactory {
  const open = async (connect: () => Promise<Adapter>) => {
    const adapter = serializeAdapter(await connect(), turnBudgetMs);
    await adapter.executeScript(SQLITE_CONNECTION_PRAGMAS.join(";\n"));
    return adapter;
  };
  return {
    provider: "sqlite",
    adapterName: factory.adapterName,
    connect: () => open(() => factory.connect()),
  };
}
