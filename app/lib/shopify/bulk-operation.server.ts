// Bulk operations: start the product export, read its status, stream its JSONL result.
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { ShopifyUserError, type AdminGraphql } from "./admin-graphql";
import { BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from "./product-queries";

export type { BulkOperationStatus } from "./generated/admin.types";
import type { BulkOperationStatus } from "./generated/admin.types";

export interface BulkOperationState {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  /** Shopify sends the counts as strings (UnsignedInt64). */
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

export async function startBulkQuery(admin: AdminGraphql, query: string): Promise<string> {
  const data = await admin.query(BULK_OPERATION_RUN_QUERY, { query });
  const { bulkOperation, userErrors = [] } = data.bulkOperationRunQuery ?? {};
  if (userErrors.length || !bulkOperation) throw new ShopifyUserError(userErrors, "bulkOperationRunQuery");
  return bulkOperation.id;
}

export async function getBulkOperation(admin: AdminGraphql, id: string): Promise<BulkOperationState | null> {
  const data = await admin.query(BULK_OPERATION_STATUS, { id });
  const op = data.bulkOperation;
  if (!op) return null;
  return {
    id: op.id,
    status: op.status,
    errorCode: op.errorCode ?? null,
    objectCount: Number(op.objectCount),
    rootObjectCount: Number(op.rootObjectCount),
    url: op.url ?? null,
    partialDataUrl: op.partialDataUrl ?? null,
  };
}

export type FetchFunction = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The result file is gone for good: its signed URL expired (Shopify keeps results 7 days) or the
 * storage refuses it. Downloading again cannot help; a new export can.
 */
export class BulkResultUnavailableError extends Error {
  constructor(readonly status: number) {
    super(`the export's result file is no longer available (HTTP ${status})`);
    this.name = "BulkResultUnavailableError";
  }
}

/** 4xx answers other than timeouts and rate limits do not change on retry. */
const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/** The result file as lines, streamed (never held whole in memory). An empty export has no URL. */
export async function* downloadJsonlLines(url: string, fetchFn: FetchFunction = fetch): AsyncGenerator<string> {
  const response = await fetchFn(url);
  if (isPermanent(response.status)) throw new BulkResultUnavailableError(response.status);
  if (!response.ok || !response.body) {
    throw new Error(`bulk operation result download failed: HTTP ${response.status} ${response.statusText}`);
  }
  const lines = createInterface({
    input: Readable.fromWeb(response.body as NodeReadableStream),
    crlfDelay: Infinity,
  });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
  }
}
