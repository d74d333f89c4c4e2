// Small pure helpers both store backends share: paging cursors and JSON-in-a-column values.
import { CustomerStoreError, type OrderFulfillment } from "./types";

/** An opaque paging cursor: the sort key (time, id) of the last item of a page. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== "string" || !id || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new CustomerStoreError("invalid paging cursor");
  }
}

export function parseJsonArray<T>(json: string): T[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new CustomerStoreError("stored value is not a JSON array");
  return value as T[];
}

export function parseFulfillments(json: string): OrderFulfillment[] {
  return parseJsonArray<Omit<OrderFulfillment, "updatedAt"> & { updatedAt: string | null }>(json).map((f) => ({
    ...f,
    updatedAt: f.updatedAt ? new Date(f.updatedAt) : null,
  }));
}
