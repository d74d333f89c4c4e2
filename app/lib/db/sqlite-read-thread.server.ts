// The main thread's side of sqlite-read-worker.mjs (decision 143): SELECTs that rank many rows run
// there, on a read-only connection to the same file, while this thread's event loop serves the rest.
// In WAL mode the connection reads what was committed when the statement started; it never waits for
// the writer (nor the writer for it).
import { Worker } from "node:worker_threads";
import type { Prisma } from "@prisma/client";
import { WorkerThreadClient } from "../worker-thread-client.server";
import { sqliteFilePath } from "./sqlite-file.server";

/** Runs one read query; rows as the driver returns them (integers as numbers). */
export interface SqlReader {
  query<T>(sql: Prisma.Sql): Promise<T[]>;
  close(): Promise<void>;
}

/** Settings of the thread's connection. */
export const SQLITE_READ_THREAD = { busyTimeoutMs: 5000, statementCacheSize: 64, reopenAfterStatements: 256 };
/** Its V8 heap: rows in flight only (the page cache is SQLite's own memory). */
export const SQLITE_READ_HEAP = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 };

// Next to this module in the sources; vite.config.ts copies it next to the server bundle.
const WORKER_SCRIPT = new URL("./sqlite-read-worker.mjs", import.meta.url);

/** Starts a thread reading the SQLite database of `url` (opened on its first statement). */
export function spawnSqliteReadWorker(url: string): Worker {
  return new Worker(WORKER_SCRIPT, {
    name: "sqlite-read",
    workerData: { file: sqliteFilePath(url), ...SQLITE_READ_THREAD },
    execArgv: [],
    resourceLimits: SQLITE_READ_HEAP,
  });
}

export class SqliteReadThread implements SqlReader {
  private readonly thread: WorkerThreadClient;

  /** `spawn` is the seam for where the thread comes from (tests hold its handle). */
  constructor(url: string, spawn: () => Worker = () => spawnSqliteReadWorker(url)) {
    this.thread = new WorkerThreadClient({ spawn, name: "SQLite read", replyErrorPrefix: "SQLite read" });
  }

  query<T>(sql: Prisma.Sql): Promise<T[]> {
    return this.thread.call<T[]>({ sql: sql.sql, values: sql.values });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
