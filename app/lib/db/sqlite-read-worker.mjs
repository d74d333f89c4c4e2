// @ts-check
// A read-only SQLite connection on its own thread (decision 143). better-sqlite3 answers
// synchronously: ranking a common word's matches at 100,000 products (~40 ms of bm25) held the
// process's event loop, and the search's vector query, other requests and the database's other
// statements waited for it. Plain JavaScript so that Node runs it as is under vitest, tsx and the
// production build (vite.config.ts copies it next to the server bundle).
//
// Protocol: the main thread posts { id, sql, values } (one SELECT, `?` placeholders) and gets
// { id, result: rows } or { id, error }. Statements run in arrival order, one at a time.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

if (!parentPort) throw new Error("sqlite-read-worker.mjs runs as a worker thread only");
const port = parentPort;
/** @type {{ file: string; busyTimeoutMs: number; statementCacheSize: number; reopenAfterStatements: number }} */
const { file, busyTimeoutMs, statementCacheSize, reopenAfterStatements } = workerData;

/** @type {import("better-sqlite3").Database | undefined} */
let connection;
/** Opened on the first statement; a failed open is retried on the next. */
function database() {
  if (!connection) {
    const db = new Database(file, { fileMustExist: true });
    try {
      // A writer checkpointing or recovering the WAL: wait for it rather than fail.
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      // This connection never writes, whatever it is sent.
      db.pragma("query_only = ON");
    } catch (error) {
      // Not kept half set up (it could write), and not left open for the next attempt to leak.
      db.close();
      throw error;
    }
    connection = db;
  }
  return connection;
}

/** Prepared statements by SQL, most recently used last (the ranking's SQL varies with the filters). */
/** @type {Map<string, import("better-sqlite3").Statement>} */
const statements = new Map();
/** Statements prepared on the current connection. */
let preparedCount = 0;
function prepared(/** @type {string} */ sql) {
  let statement = statements.get(sql);
  if (!statement) {
    // A connection keeps every virtual table it has used open (~20 KB each; SQLite frees them only
    // when it closes), and each shop has its own full-text table (decision 145): after this many
    // statements the connection is opened again, so its memory does not grow with the shops served.
    if (connection && preparedCount >= reopenAfterStatements) {
      statements.clear();
      connection.close();
      connection = undefined;
      preparedCount = 0;
    }
    statement = database().prepare(sql);
    preparedCount += 1;
  }
  statements.delete(sql);
  statements.set(sql, statement);
  if (statements.size > statementCacheSize) statements.delete(statements.keys().next().value ?? sql);
  return statement;
}

/** SQLite has no booleans: Prisma stores them as 0 and 1. */
const bindable = (/** @type {unknown} */ value) => (typeof value === "boolean" ? Number(value) : value);

port.on("message", (/** @type {{ id: number; sql: string; values: unknown[] }} */ request) => {
  try {
    const rows = prepared(request.sql).all(request.values.map(bindable));
    port.postMessage({ id: request.id, result: rows });
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
