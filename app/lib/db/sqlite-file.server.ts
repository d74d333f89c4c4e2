import { mkdirSync } from "node:fs";
import path from "node:path";

/** The file of a SQLite `file:` URL, absolute (":memory:" as is), as the better-sqlite3 adapter reads it. */
export function sqliteFilePath(url: string): string {
  const file = url.replace(/^file:/, "");
  return file === ":memory:" ? file : path.resolve(file);
}

/** SQLite creates the file but not its folder; make sure the folder of a `file:` URL exists. */
export function ensureSqliteDirectory(url: string): void {
  const file = url.replace(/^file:/, "").split("?")[0];
  if (file && file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}
