// Residue scans: look for a value anywhere in a store, not just where the code expects to find it.
import Database from "better-sqlite3";
import { Databases, Query, type Client } from "node-appwrite";

export interface Residue {
  where: string;
  row: string;
}

/** Every text cell of every table (or of `tables`) in a SQLite database that contains `needle`. */
export function scanSqlite(url: string, needle: string, tables?: string[]): Residue[] {
  const db = new Database(url.replace(/^file:/, ""), { readonly: true });
  try {
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    )
      .map((t) => t.name)
      .filter((name) => !tables || tables.includes(name));
    const found: Residue[] = [];
    for (const table of names) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        const text = JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
        if (text.includes(needle)) found.push({ where: table, row: text.slice(0, 200) });
      }
    }
    return found;
  } finally {
    db.close();
  }
}

/** Every document of every collection of an Appwrite database that contains `needle`. */
export async function scanAppwrite(client: Client, databaseId: string, needle: string): Promise<Residue[]> {
  const databases = new Databases(client);
  const found: Residue[] = [];
  const { collections } = await databases.listCollections({ databaseId, queries: [Query.limit(100)] });
  for (const collection of collections) {
    let cursor: string | null = null;
    for (;;) {
      const page: { documents: { $id: string }[] } = await databases.listDocuments({
        databaseId,
        collectionId: collection.$id,
        queries: [Query.limit(100), ...(cursor ? [Query.cursorAfter(cursor)] : [])],
      });
      for (const doc of page.documents) {
        const text = JSON.stringify(doc);
        if (text.includes(needle)) found.push({ where: collection.$id, row: text.slice(0, 200) });
      }
      if (page.documents.length < 100) break;
      cursor = page.documents[page.documents.length - 1].$id;
    }
  }
  return found;
}

/** The tables the customer store owns in the app database. */
export const CUSTOMER_TABLES = [
  "CustomerProfile",
  "CustomerOrder",
  "Conversation",
  "ConversationMessage",
  "ConversationCartEvent",
  "CustomerDataExport",
  // Chat history on its way to Appwrite (decision 121).
  "HistoryOutbox",
];

/** Every row of every table in the public schema of a Postgres database that contains `needle`. */
export async function scanPostgres(url: string, needle: string): Promise<Residue[]> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const found: Residue[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      for (const { row } of rows) if (row.includes(needle)) found.push({ where: name, row: row.slice(0, 200) });
    }
    return found;
  } finally {
    await client.end();
  }
}
