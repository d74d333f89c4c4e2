// What a ProductVectorStore throws when its backend fails: names the store, the operation and the
// collection, and keeps the driver's error as `cause` (a connection refused reads as such).
export class VectorStoreError extends Error {
  constructor(storeKind: string, operation: string, collection: string | undefined, cause: unknown) {
    const where = collection ? ` on ${collection}` : "";
    super(`${storeKind} vector store: ${operation}${where} failed: ${describe(cause)}`, { cause });
    this.name = "VectorStoreError";
  }
}

/** Runs a store operation; any failure leaves as a VectorStoreError naming the store, operation and collection. */
export async function guarded<T>(
  storeKind: string,
  operation: string,
  collection: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VectorStoreError) throw error;
    throw new VectorStoreError(storeKind, operation, collection, error);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // pg's AggregateError (one error per address tried) has an empty message.
  if (error instanceof AggregateError && !error.message) return error.errors.map(describe).join("; ");
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.message || error.name}${code && !error.message.includes(code) ? ` (${code})` : ""}`;
}

/** Duplicate ids or vectors of different lengths in one upsert: a caller bug, refused before writing. */
export function validateRecords(records: { id: string; vector: number[] }[]): void {
  const seen = new Set<string>();
  const dimensions = records[0]?.vector.length;
  for (const record of records) {
    if (!record.id) throw new Error("vector record without an id");
    if (seen.has(record.id)) throw new Error(`duplicate vector record id in one upsert: ${record.id}`);
    seen.add(record.id);
    if (!record.vector.length || record.vector.length !== dimensions) {
      throw new Error(`vector of ${record.id} has ${record.vector.length} dimensions, expected ${dimensions}`);
    }
  }
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
