// A local, in-memory stand-in for the part of Appwrite's REST API (v1) that node-appwrite's
// `Databases` service calls: databases, collections, attributes, indexes and documents. Shapes,
// status codes and error types follow Appwrite's API reference (response models Database,
// Collection, Attribute*, Index, Document, *List, Error). Like the real server it authenticates
// every call (project header + API key), builds attributes and indexes asynchronously (status
// "processing" → "available"), rejects documents that do not match the collection's available
// attributes, and evaluates the JSON query syntax the SDK's `Query` helpers produce.
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { compareVersions } from "./spec-check";

export interface AppwriteEmulatorOptions {
  projectId: string;
  apiKey: string;
  port?: number;
  /** How long a new attribute or index stays "processing" (real Appwrite builds them in a worker). */
  buildDelayMs?: number;
  /**
   * The Appwrite version to behave as (default 1.8.0). Older versions lack what came later: bulk
   * document operations (1.7) and transactions (1.8) then answer as those servers do (route not found).
   */
  version?: string;
}

export interface RunningAppwriteEmulator {
  /** The API endpoint, ending in /v1 (what `Client.setEndpoint` takes). */
  endpoint: string;
  /** Every request received (method + path), for tests that check what the client did. */
  requests: { method: string; path: string }[];
  stop(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type AttributeType = "string" | "integer" | "float" | "boolean" | "datetime";

interface Attribute {
  key: string;
  type: AttributeType;
  status: "processing" | "available";
  error: string;
  required: boolean;
  array: boolean;
  $createdAt: string;
  $updatedAt: string;
  size?: number;
  /** Set on datetime attributes (Appwrite's AttributeDatetime model requires it). */
  format?: string;
  min?: number;
  max?: number;
  default: Json;
}

interface Index {
  $id: string;
  key: string;
  type: string;
  status: "processing" | "available";
  error: string;
  attributes: string[];
  lengths: number[];
  orders: string[];
  $createdAt: string;
  $updatedAt: string;
}

interface StoredDocument {
  $id: string;
  $sequence: number;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  data: Record<string, Json>;
}

interface Collection {
  $id: string;
  name: string;
  enabled: boolean;
  documentSecurity: boolean;
  $permissions: string[];
  $createdAt: string;
  $updatedAt: string;
  attributes: Attribute[];
  indexes: Index[];
  documents: Map<string, StoredDocument>;
}

interface Database {
  $id: string;
  name: string;
  enabled: boolean;
  $createdAt: string;
  $updatedAt: string;
  collections: Map<string, Collection>;
}

/** A document write, as applied directly or staged in a transaction. */
interface Write {
  action: "create" | "update" | "delete" | "bulkUpdate" | "bulkDelete";
  databaseId: string;
  collectionId: string;
  documentId?: string;
  data?: Record<string, Json>;
  permissions?: string[];
  queries?: string[];
}

interface Transaction {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  status: "pending" | "committed" | "failed";
  operations: { write: Write; at: number }[];
  expiresAt: string;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The Appwrite version this server behaves as by default: the one whose published spec it follows. */
export const EMULATED_VERSION = "1.8.0";
const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;
const DEFAULT_LIMIT = 25;
// Appwrite's defaults: a transaction lives 300 s unless told otherwise and takes at most 100 operations.
const DEFAULT_TRANSACTION_TTL = 300;
const MAX_TRANSACTION_OPERATIONS = 100;
/** The versions that brought bulk document operations and transactions. */
export const BULK_SINCE = "1.7.0";
export const TRANSACTIONS_SINCE = "1.8.0";
const MAX_LIMIT = 5000;
const MAX_QUERIES = 100;
const MAX_QUERY_CHARS = 4096;
const COUNT_LIMIT = 5000;
// Appwrite's 64-bit integer bounds, as close as a JS number gets.
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63 - 1;

/** Appwrite's datetime format: ISO 8601 with milliseconds and an explicit +00:00 offset. */
const appwriteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");
const nowString = () => appwriteDate(new Date());

function newId(): string {
  // Appwrite's ID.unique(): a hex timestamp plus random hex, 20 characters.
  return Date.now().toString(16).padStart(12, "0").slice(-12) + randomBytes(4).toString("hex");
}

function requireId(param: string, value: unknown): string {
  if (value === "unique()") return newId();
  if (typeof value !== "string" || !ID_PATTERN.test(value)) {
    throw new ApiError(
      400,
      "general_argument_invalid",
      `Invalid \`${param}\` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char`,
    );
  }
  return value;
}

function requireParam<T>(body: Record<string, unknown>, name: string, check: (value: unknown) => boolean): T {
  const value = body[name];
  if (value === undefined) throw new ApiError(400, "general_argument_invalid", `Param "${name}" is not optional.`);
  if (!check(value)) throw new ApiError(400, "general_argument_invalid", `Invalid \`${name}\` param.`);
  return value as T;
}

interface ParsedQuery {
  method: string;
  attribute?: string;
  values?: Json[];
}

function parseQuery(text: string): ParsedQuery {
  try {
    const query = JSON.parse(text) as ParsedQuery;
    if (typeof query.method !== "string") throw new Error("no method");
    return query;
  } catch {
    throw new ApiError(400, "general_query_invalid", `Invalid query: ${text}`);
  }
}

function compare(a: Json | undefined, b: Json | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : 1;
}

export async function startAppwriteEmulator(options: AppwriteEmulatorOptions): Promise<RunningAppwriteEmulator> {
  const databases = new Map<string, Database>();
  const buildDelayMs = options.buildDelayMs ?? 30;
  const version = options.version ?? EMULATED_VERSION;
  const requests: RunningAppwriteEmulator["requests"] = [];
  let sequence = 0;
  const transactions = new Map<string, Transaction>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, buildDelayMs);
    timers.add(timer);
  };

  function database(id: string): Database {
    const found = databases.get(id);
    if (!found)
      throw new ApiError(404, "database_not_found", `Database with the requested ID '${id}' could not be found.`);
    return found;
  }

  function collection(databaseId: string, id: string): Collection {
    const found = database(databaseId).collections.get(id);
    if (!found) {
      throw new ApiError(404, "collection_not_found", `Collection with the requested ID '${id}' could not be found.`);
    }
    return found;
  }

  const databaseModel = (db: Database) => ({
    $id: db.$id,
    name: db.name,
    $createdAt: db.$createdAt,
    $updatedAt: db.$updatedAt,
    enabled: db.enabled,
    type: "legacy",
  });

  const collectionModel = (col: Collection, databaseId: string) => ({
    $id: col.$id,
    $createdAt: col.$createdAt,
    $updatedAt: col.$updatedAt,
    $permissions: col.$permissions,
    databaseId,
    name: col.name,
    enabled: col.enabled,
    documentSecurity: col.documentSecurity,
    attributes: col.attributes,
    indexes: col.indexes,
  });

  const documentModel = (doc: StoredDocument, databaseId: string, collectionId: string) => ({
    ...doc.data,
    $id: doc.$id,
    $sequence: doc.$sequence,
    $collectionId: collectionId,
    $databaseId: databaseId,
    $createdAt: doc.$createdAt,
    $updatedAt: doc.$updatedAt,
    $permissions: doc.$permissions,
  });

  function validateValue(attribute: Attribute, value: Json): Json {
    const invalid = (why: string) =>
      new ApiError(
        400,
        "document_invalid_structure",
        `Invalid document structure: Attribute "${attribute.key}" has invalid ${attribute.array ? "format" : "type"}. ${why}`,
      );
    const one = (item: Json): Json => {
      switch (attribute.type) {
        case "string":
          if (typeof item !== "string" || item.length > (attribute.size ?? 0)) {
            throw invalid(`Value must be a valid string and no longer than ${attribute.size} chars`);
          }
          return item;
        case "integer":
          if (
            typeof item !== "number" ||
            !Number.isInteger(item) ||
            item < (attribute.min ?? INT64_MIN) ||
            item > (attribute.max ?? INT64_MAX)
          ) {
            throw invalid("Value must be a valid integer");
          }
          return item;
        case "float":
          if (typeof item !== "number" || !Number.isFinite(item)) throw invalid("Value must be a valid float");
          return item;
        case "boolean":
          if (typeof item !== "boolean") throw invalid("Value must be a valid boolean");
          return item;
        case "datetime": {
          const time = typeof item === "string" ? Date.parse(item) : NaN;
          if (Number.isNaN(time))
            throw invalid("Value must be valid date between 0000-01-01 00:00:00 and 9999-12-31 23:59:59.");
          return appwriteDate(new Date(time));
        }
      }
    };
    if (value === null) return null;
    if (attribute.array) {
      if (!Array.isArray(value)) throw invalid("Value must be an array");
      return value.map(one);
    }
    return one(value);
  }

  function validateDocument(col: Collection, data: Record<string, Json>): Record<string, Json> {
    const available = new Map(col.attributes.filter((a) => a.status === "available").map((a) => [a.key, a]));
    for (const key of Object.keys(data)) {
      if (key.startsWith("$")) continue;
      if (!available.has(key)) {
        throw new ApiError(
          400,
          "document_invalid_structure",
          `Invalid document structure: Unknown attribute: "${key}"`,
        );
      }
    }
    const result: Record<string, Json> = {};
    for (const attribute of available.values()) {
      const value = data[attribute.key];
      if (value === undefined || value === null) {
        if (attribute.required) {
          throw new ApiError(
            400,
            "document_invalid_structure",
            `Invalid document structure: Missing required attribute "${attribute.key}"`,
          );
        }
        result[attribute.key] = attribute.array ? [] : (attribute.default ?? null);
        continue;
      }
      result[attribute.key] = validateValue(attribute, value);
    }
    return result;
  }

  function systemValue(doc: StoredDocument, attribute: string): Json | undefined {
    switch (attribute) {
      case "$id":
        return doc.$id;
      case "$sequence":
        return doc.$sequence;
      case "$createdAt":
        return doc.$createdAt;
      case "$updatedAt":
        return doc.$updatedAt;
      default:
        return doc.data[attribute];
    }
  }

  /**
   * The documents matching `rawQueries`, as Appwrite pages them. Bulk operations have no default limit;
   * `documents` is the collection as a transaction being committed sees it.
   */
  function listDocuments(
    col: Collection,
    rawQueries: string[],
    { bulk = false, documents = col.documents }: { bulk?: boolean; documents?: Map<string, StoredDocument> } = {},
  ) {
    if (rawQueries.length > MAX_QUERIES || rawQueries.some((query) => query.length > MAX_QUERY_CHARS)) {
      throw new ApiError(
        400,
        "general_argument_invalid",
        `Invalid \`queries\` param: Value must a valid array no longer than ${MAX_QUERIES} items and Value must be a valid string and at least 1 chars and no longer than ${MAX_QUERY_CHARS} chars`,
      );
    }
    const queries = rawQueries.map(parseQuery);
    const known = new Map(col.attributes.map((a) => [a.key, a]));
    const isDate = (attribute: string) =>
      attribute === "$createdAt" || attribute === "$updatedAt" || known.get(attribute)?.type === "datetime";
    const checkAttribute = (attribute: string | undefined) => {
      if (!attribute) throw new ApiError(400, "general_query_invalid", "Invalid query: attribute is required");
      if (!attribute.startsWith("$") && !known.has(attribute)) {
        throw new ApiError(400, "general_query_invalid", `Invalid query: Attribute not found in schema: ${attribute}`);
      }
      return attribute;
    };
    const normalise = (attribute: string, value: Json) =>
      isDate(attribute) && typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? appwriteDate(new Date(value))
        : value;

    const filters: ((doc: StoredDocument) => boolean)[] = [];
    const orders: { attribute: string; direction: 1 | -1 }[] = [];
    let limit = bulk ? Number.POSITIVE_INFINITY : DEFAULT_LIMIT;
    let offset = 0;
    let cursorAfter: string | null = null;
    for (const query of queries) {
      const values = query.values ?? [];
      switch (query.method) {
        case "equal":
        case "notEqual":
        case "lessThan":
        case "lessThanEqual":
        case "greaterThan":
        case "greaterThanEqual": {
          const attribute = checkAttribute(query.attribute);
          if (!values.length)
            throw new ApiError(400, "general_query_invalid", `Invalid query: ${query.method} needs a value`);
          const wanted = values.map((value) => normalise(attribute, value));
          const test = {
            equal: (v: Json | undefined) => wanted.some((w) => compare(v, w) === 0),
            notEqual: (v: Json | undefined) => wanted.every((w) => compare(v, w) !== 0),
            lessThan: (v: Json | undefined) => v !== null && v !== undefined && compare(v, wanted[0]) < 0,
            lessThanEqual: (v: Json | undefined) => v !== null && v !== undefined && compare(v, wanted[0]) <= 0,
            greaterThan: (v: Json | undefined) => v !== null && v !== undefined && compare(v, wanted[0]) > 0,
            greaterThanEqual: (v: Json | undefined) => v !== null && v !== undefined && compare(v, wanted[0]) >= 0,
          }[query.method];
          filters.push((doc) => {
            const value = systemValue(doc, attribute);
            // Array attributes match when any element matches (Appwrite's semantics for equal on arrays).
            return Array.isArray(value) ? value.some((item) => test(item)) : test(value);
          });
          break;
        }
        case "isNull":
        case "isNotNull": {
          const attribute = checkAttribute(query.attribute);
          const wantNull = query.method === "isNull";
          filters.push((doc) => ((systemValue(doc, attribute) ?? null) === null) === wantNull);
          break;
        }
        case "orderAsc":
        case "orderDesc":
          orders.push({ attribute: checkAttribute(query.attribute), direction: query.method === "orderAsc" ? 1 : -1 });
          break;
        case "limit": {
          const value = values[0];
          if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_LIMIT) {
            throw new ApiError(
              400,
              "general_query_invalid",
              `Invalid query: Invalid limit: Value must be a valid range between 0 and ${MAX_LIMIT.toLocaleString("en-US")}`,
            );
          }
          limit = value;
          break;
        }
        case "offset": {
          const value = values[0];
          if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
            throw new ApiError(400, "general_query_invalid", "Invalid query: Invalid offset");
          }
          offset = value;
          break;
        }
        case "cursorAfter":
          cursorAfter = String(values[0] ?? "");
          break;
        case "select":
          break;
        default:
          throw new ApiError(400, "general_query_invalid", `Invalid query: Invalid query method: ${query.method}`);
      }
    }
    const order = (a: StoredDocument, b: StoredDocument) => {
      for (const { attribute, direction } of orders) {
        const difference = compare(systemValue(a, attribute), systemValue(b, attribute));
        if (difference) return difference * direction;
      }
      return a.$sequence - b.$sequence;
    };
    const matching = [...documents.values()].filter((doc) => filters.every((filter) => filter(doc)));
    matching.sort(order);
    let start = offset;
    if (cursorAfter !== null) {
      // Keyset paging like Appwrite's: the cursor document's sort values mark the position, so it
      // works even when that document no longer matches the filters.
      const anchor = documents.get(cursorAfter);
      if (!anchor) {
        throw new ApiError(
          400,
          "general_cursor_not_found",
          `Document '${cursorAfter}' for the 'cursor' value not found.`,
        );
      }
      const after = matching.findIndex((doc) => order(doc, anchor) > 0);
      start = (after < 0 ? matching.length : after) + offset;
    }
    // Appwrite stops counting at APP_LIMIT_COUNT.
    return { total: Math.min(matching.length, COUNT_LIMIT), documents: matching.slice(start, start + limit) };
  }

  const supports = (since: string) => compareVersions(version, since) >= 0;
  const routeNotFound = () =>
    new ApiError(
      404,
      "general_route_not_found",
      "The requested route was not found. Please refer to the API docs and try again.",
    );
  const documentNotFound = (id: string) =>
    new ApiError(404, "document_not_found", `Document with the requested ID '${id}' could not be found.`);

  /**
   * One document write, applied to `docsOf(collection)`: the live documents, or a transaction's working
   * copy when `staged` is set. Then, as in Appwrite's commit, a document someone else changed after the
   * operation was staged makes the commit fail with transaction_conflict, and so does creating one that
   * exists.
   */
  function applyWrite(
    write: Write,
    docsOf: (col: Collection) => Map<string, StoredDocument>,
    staged?: { at: number; touched: Set<string> },
  ): { status: number; json?: unknown } {
    const col = collection(write.databaseId, write.collectionId);
    const documents = docsOf(col);
    const model = (doc: StoredDocument) => documentModel(doc, write.databaseId, write.collectionId);
    const tag = (id: string) => `${write.databaseId}/${write.collectionId}/${id}`;
    const conflict = () =>
      new ApiError(409, "transaction_conflict", "Conflict detected. Transaction could not be committed.");
    const checkUnchanged = (doc: StoredDocument) => {
      if (staged && !staged.touched.has(tag(doc.$id)) && Date.parse(doc.$updatedAt) > staged.at) throw conflict();
      staged?.touched.add(tag(doc.$id));
    };
    const at = nowString();
    const changed = (doc: StoredDocument, data: Record<string, Json>, permissions?: string[]): StoredDocument => ({
      ...doc,
      data: validateDocument(col, { ...doc.data, ...data }),
      $updatedAt: at,
      $permissions: permissions ?? doc.$permissions,
    });
    const id = write.documentId ?? "";
    switch (write.action) {
      case "create": {
        if (documents.has(id)) {
          if (staged) throw conflict();
          throw new ApiError(
            409,
            "document_already_exists",
            `Document with the requested ID '${id}' already exists. Try again with a different ID or use ID.unique() to generate a unique ID.`,
          );
        }
        const doc: StoredDocument = {
          $id: id,
          $sequence: ++sequence,
          $createdAt: at,
          $updatedAt: at,
          $permissions: write.permissions ?? [],
          data: validateDocument(col, write.data ?? {}),
        };
        documents.set(id, doc);
        staged?.touched.add(tag(id));
        return { status: 201, json: model(doc) };
      }
      case "update": {
        const existing = documents.get(id);
        if (!existing) throw documentNotFound(id);
        checkUnchanged(existing);
        const doc = changed(existing, write.data ?? {}, write.permissions);
        documents.set(id, doc);
        return { status: 200, json: model(doc) };
      }
      case "delete": {
        const existing = documents.get(id);
        if (!existing) throw documentNotFound(id);
        checkUnchanged(existing);
        documents.delete(id);
        return { status: 204 };
      }
      case "bulkUpdate":
      case "bulkDelete": {
        const matched = listDocuments(col, write.queries ?? [], { bulk: true, documents }).documents;
        const result: StoredDocument[] = [];
        for (const doc of matched) {
          checkUnchanged(doc);
          if (write.action === "bulkDelete") {
            documents.delete(doc.$id);
            result.push(doc);
          } else {
            const updated = changed(doc, write.data ?? {});
            documents.set(doc.$id, updated);
            result.push(updated);
          }
        }
        return { status: 200, json: { total: result.length, documents: result.map(model) } };
      }
    }
  }

  function transaction(id: string | undefined): Transaction {
    const found = id ? transactions.get(id) : undefined;
    if (!found)
      throw new ApiError(404, "transaction_not_found", `Transaction with the requested ID '${id}' could not be found.`);
    return found;
  }

  /** A pending transaction that can still take operations or be committed (Appwrite's checks, in its order). */
  function pending(id: string | undefined): Transaction {
    const found = transaction(id);
    if (found.status !== "pending") throw new ApiError(400, "transaction_not_ready", "Transaction is not ready.");
    if (Date.now() > Date.parse(found.expiresAt))
      throw new ApiError(400, "transaction_expired", "Transaction has expired.");
    return found;
  }

  const transactionModel = (tx: Transaction) => ({
    $id: tx.$id,
    $createdAt: tx.$createdAt,
    $updatedAt: tx.$updatedAt,
    status: tx.status,
    operations: tx.operations.length,
    expiresAt: tx.expiresAt,
  });

  /**
   * A write with a transactionId is only recorded (Appwrite 1.8 stages it and answers as if done); it is
   * applied, all operations or none, when the transaction is committed.
   */
  function stage(transactionId: string, write: Write): { status: number; json?: unknown } {
    const bulk = write.action === "bulkUpdate" || write.action === "bulkDelete";
    const found = transactions.get(transactionId);
    // Appwrite's bulk routes check the transaction more tersely than the single-document ones.
    if (bulk && (found?.status !== "pending" || Date.now() > Date.parse(found.expiresAt))) {
      throw new ApiError(400, "general_bad_request", "Invalid or non-pending transaction");
    }
    const tx = pending(transactionId);
    const col = collection(write.databaseId, write.collectionId);
    if (tx.operations.length + 1 > MAX_TRANSACTION_OPERATIONS) {
      throw new ApiError(
        400,
        "transaction_limit_exceeded",
        `Transaction already has ${tx.operations.length} operations, adding 1 would exceed the maximum of ${MAX_TRANSACTION_OPERATIONS}`,
      );
    }
    tx.operations.push({ write, at: Date.now() });
    tx.$updatedAt = nowString();
    const now = nowString();
    const preview = (data: Record<string, Json>, base?: StoredDocument): StoredDocument => ({
      $id: base?.$id ?? write.documentId ?? "",
      $sequence: base?.$sequence ?? 0,
      $createdAt: base?.$createdAt ?? now,
      $updatedAt: now,
      $permissions: write.permissions ?? base?.$permissions ?? [],
      data: { ...base?.data, ...data },
    });
    const model = (doc: StoredDocument) => documentModel(doc, write.databaseId, write.collectionId);
    switch (write.action) {
      case "create":
        return { status: 201, json: model(preview(write.data ?? {})) };
      case "update":
        return { status: 200, json: model(preview(write.data ?? {}, col.documents.get(write.documentId ?? ""))) };
      case "delete":
        return { status: 204 };
      default:
        // How many it will touch is only known at commit: Appwrite answers 0.
        return { status: 200, json: { total: 0, documents: [] } };
    }
  }

  function commit(tx: Transaction) {
    // Applied to working copies of the collections, which replace the live ones only if every operation
    // succeeded: a failed commit changes nothing.
    const working = new Map<Collection, Map<string, StoredDocument>>();
    const docsOf = (col: Collection) => {
      let documents = working.get(col);
      if (!documents) working.set(col, (documents = new Map(col.documents)));
      return documents;
    };
    const touched = new Set<string>();
    try {
      for (const { write, at } of tx.operations) applyWrite(write, docsOf, { at, touched });
    } catch (error) {
      tx.status = "failed";
      tx.$updatedAt = nowString();
      throw error;
    }
    for (const [col, documents] of working) col.documents = documents;
    tx.status = "committed";
    tx.$updatedAt = nowString();
  }

  function transactionRoute(method: string, id: string | undefined, body: Record<string, unknown>) {
    if (method === "POST" && id === undefined) {
      const ttl = body.ttl ?? DEFAULT_TRANSACTION_TTL;
      if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 60 || ttl > 3600) {
        throw new ApiError(
          400,
          "general_argument_invalid",
          "Invalid `ttl` param: Value must be a valid range between 60 and 3,600",
        );
      }
      const at = new Date();
      const tx: Transaction = {
        $id: newId(),
        $createdAt: appwriteDate(at),
        $updatedAt: appwriteDate(at),
        status: "pending",
        operations: [],
        expiresAt: appwriteDate(new Date(at.getTime() + ttl * 1000)),
      };
      transactions.set(tx.$id, tx);
      return { status: 201, json: transactionModel(tx) };
    }
    if (method === "GET" && id !== undefined) return { status: 200, json: transactionModel(transaction(id)) };
    if (method === "PATCH" && id !== undefined) {
      const commitIt = body.commit === true;
      const rollback = body.rollback === true;
      if (commitIt === rollback) {
        throw new ApiError(
          400,
          "general_bad_request",
          commitIt ? "Cannot commit and rollback at the same time" : "Either commit or rollback must be true",
        );
      }
      const tx = pending(id);
      if (commitIt) commit(tx);
      else {
        // Appwrite marks a rolled-back transaction "failed".
        tx.status = "failed";
        tx.$updatedAt = nowString();
      }
      return { status: 200, json: transactionModel(tx) };
    }
    throw new ApiError(
      404,
      "general_route_not_found",
      "The requested route was not found. Please refer to the API docs and try again.",
    );
  }

  function route(
    method: string,
    parts: string[],
    body: Record<string, unknown>,
    url: URL,
  ): { status: number; json?: unknown } {
    const [root, databaseId, sub, collectionId, kind, key] = parts;
    if (root !== "databases")
      throw new ApiError(
        404,
        "general_route_not_found",
        "The requested route was not found. Please refer to the API docs and try again.",
      );

    // Before 1.8 there is no such route: /databases/transactions is then the database "transactions".
    if (databaseId === "transactions" && supports(TRANSACTIONS_SINCE)) return transactionRoute(method, sub, body);

    if (databaseId === undefined) {
      if (method === "POST") {
        const id = requireId("databaseId", body.databaseId);
        if (databases.has(id)) {
          throw new ApiError(
            409,
            "database_already_exists",
            `Database with the requested ID '${id}' already exists. Try again with a different ID or use ID.unique() to generate a unique ID.`,
          );
        }
        const at = nowString();
        const db: Database = {
          $id: id,
          name: requireParam(body, "name", (v) => typeof v === "string" && v.length <= 128),
          enabled: body.enabled !== false,
          $createdAt: at,
          $updatedAt: at,
          collections: new Map(),
        };
        databases.set(id, db);
        return { status: 201, json: databaseModel(db) };
      }
      if (method === "GET") {
        const all = [...databases.values()].map(databaseModel);
        return { status: 200, json: { total: all.length, databases: all } };
      }
    } else if (sub === undefined) {
      if (method === "GET") return { status: 200, json: databaseModel(database(databaseId)) };
      if (method === "DELETE") {
        database(databaseId);
        databases.delete(databaseId);
        return { status: 204 };
      }
    } else if (sub === "collections" && collectionId === undefined) {
      const db = database(databaseId);
      if (method === "POST") {
        const id = requireId("collectionId", body.collectionId);
        if (db.collections.has(id)) {
          throw new ApiError(
            409,
            "collection_already_exists",
            `A collection with the requested ID '${id}' already exists. Try again with a different ID or use ID.unique() to generate a unique ID.`,
          );
        }
        const at = nowString();
        const col: Collection = {
          $id: id,
          name: requireParam(body, "name", (v) => typeof v === "string" && v.length <= 128),
          enabled: body.enabled !== false,
          documentSecurity: body.documentSecurity === true,
          $permissions: Array.isArray(body.permissions) ? (body.permissions as string[]) : [],
          $createdAt: at,
          $updatedAt: at,
          attributes: [],
          indexes: [],
          documents: new Map(),
        };
        db.collections.set(id, col);
        return { status: 201, json: collectionModel(col, databaseId) };
      }
      if (method === "GET") {
        const all = [...db.collections.values()].map((col) => collectionModel(col, databaseId));
        return { status: 200, json: { total: all.length, collections: all } };
      }
    } else if (sub === "collections" && kind === undefined) {
      const col = collection(databaseId, collectionId);
      if (method === "GET") return { status: 200, json: collectionModel(col, databaseId) };
      if (method === "DELETE") {
        database(databaseId).collections.delete(collectionId);
        return { status: 204 };
      }
    } else if (kind === "attributes") {
      const col = collection(databaseId, collectionId);
      if (method === "GET" && key === undefined)
        return { status: 200, json: { total: col.attributes.length, attributes: col.attributes } };
      if (method === "GET") {
        const found = col.attributes.find((a) => a.key === key);
        if (!found)
          throw new ApiError(
            404,
            "attribute_not_found",
            `Attribute with the requested key '${key}' could not be found.`,
          );
        return { status: 200, json: found };
      }
      if (method === "POST" && key && ["string", "integer", "float", "boolean", "datetime"].includes(key)) {
        const attributeKey = requireParam<string>(
          body,
          "key",
          (v) => typeof v === "string" && /^[a-zA-Z0-9][a-zA-Z0-9_]{0,35}$/.test(v),
        );
        const required = requireParam<boolean>(body, "required", (v) => typeof v === "boolean");
        if (col.attributes.some((a) => a.key === attributeKey)) {
          throw new ApiError(
            409,
            "attribute_already_exists",
            `Attribute with the requested key '${attributeKey}' already exists. Attribute keys must be unique, try again with a different key.`,
          );
        }
        if (required && body.default !== undefined && body.default !== null) {
          throw new ApiError(400, "attribute_default_unsupported", "Cannot set default value for required attribute");
        }
        const at = nowString();
        const attribute: Attribute = {
          key: attributeKey,
          type: key as AttributeType,
          status: "processing",
          error: "",
          required,
          array: body.array === true,
          $createdAt: at,
          $updatedAt: at,
          default: (body.default as Json) ?? null,
        };
        if (key === "string")
          attribute.size = requireParam<number>(
            body,
            "size",
            (v) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1_073_741_824,
          );
        if (key === "datetime") attribute.format = "datetime";
        if (key === "integer") {
          attribute.min = typeof body.min === "number" ? body.min : INT64_MIN;
          attribute.max = typeof body.max === "number" ? body.max : INT64_MAX;
        }
        col.attributes.push(attribute);
        later(() => {
          attribute.status = "available";
          attribute.$updatedAt = nowString();
        });
        return { status: 202, json: attribute };
      }
    } else if (kind === "indexes") {
      const col = collection(databaseId, collectionId);
      if (method === "GET" && key === undefined)
        return { status: 200, json: { total: col.indexes.length, indexes: col.indexes } };
      if (method === "POST" && key === undefined) {
        const indexKey = requireParam<string>(
          body,
          "key",
          (v) => typeof v === "string" && /^[a-zA-Z0-9][a-zA-Z0-9_]{0,35}$/.test(v),
        );
        const type = requireParam<string>(body, "type", (v) => v === "key" || v === "unique" || v === "fulltext");
        const attributes = requireParam<string[]>(body, "attributes", (v) => Array.isArray(v) && v.length > 0);
        if (col.indexes.some((i) => i.key === indexKey)) {
          throw new ApiError(
            409,
            "index_already_exists",
            `Index with the requested key '${indexKey}' already exists. Try again with a different key.`,
          );
        }
        for (const name of attributes) {
          const attribute = col.attributes.find((a) => a.key === name);
          if (!name.startsWith("$") && !attribute)
            throw new ApiError(400, "attribute_unknown", `The attribute '${name}' requested could not be found.`);
          if (attribute && attribute.status !== "available") {
            throw new ApiError(
              400,
              "attribute_not_available",
              `The requested attribute '${name}' is not yet available. Please try again later.`,
            );
          }
        }
        const at = nowString();
        const index: Index = {
          $id: indexKey,
          key: indexKey,
          type,
          status: "processing",
          error: "",
          attributes,
          lengths: Array.isArray(body.lengths) ? (body.lengths as number[]) : [],
          orders: Array.isArray(body.orders) ? (body.orders as string[]) : [],
          $createdAt: at,
          $updatedAt: at,
        };
        col.indexes.push(index);
        later(() => {
          index.status = "available";
          index.$updatedAt = nowString();
        });
        return { status: 202, json: index };
      }
    } else if (kind === "documents") {
      // Appwrite routes before it looks anything up: an older server has no bulk routes whatever the ids.
      const bulkRoute = key === undefined && (method === "PATCH" || method === "DELETE");
      if (bulkRoute && !supports(BULK_SINCE)) throw routeNotFound();
      const col = collection(databaseId, collectionId);
      const at = { databaseId, collectionId };
      const transactionId =
        supports(TRANSACTIONS_SINCE) && typeof body.transactionId === "string" ? body.transactionId : null;
      const write = (operation: Omit<Write, "databaseId" | "collectionId">) =>
        transactionId
          ? stage(transactionId, { ...at, ...operation })
          : applyWrite({ ...at, ...operation }, (c) => c.documents);
      const data = (required: boolean) => {
        if (!required && body.data === undefined) return {};
        return requireParam<Record<string, Json>>(
          body,
          "data",
          (v) => typeof v === "object" && v !== null && !Array.isArray(v),
        );
      };
      const queries = () => {
        const value = body.queries ?? [];
        if (!Array.isArray(value) || value.some((q) => typeof q !== "string"))
          throw new ApiError(400, "general_argument_invalid", "Invalid `queries` param.");
        return value as string[];
      };
      if (key === undefined && method === "GET") {
        const listed = [...url.searchParams.entries()]
          .filter(([name]) => /^queries\[\d*\]$/.test(name))
          .map(([, value]) => value);
        const { total, documents } = listDocuments(col, listed);
        return {
          status: 200,
          json: {
            total: url.searchParams.get("total") === "false" ? 0 : total,
            documents: documents.map((doc) => documentModel(doc, databaseId, collectionId)),
          },
        };
      }
      if (key === undefined && method === "POST") {
        const permissions = Array.isArray(body.permissions) ? (body.permissions as string[]) : [];
        return write({
          action: "create",
          documentId: requireId("documentId", body.documentId),
          data: data(true),
          permissions,
        });
      }
      // Bulk operations by query (Appwrite 1.7+).
      if (key === undefined && method === "PATCH" && supports(BULK_SINCE)) {
        return write({ action: "bulkUpdate", data: data(false), queries: queries() });
      }
      if (key === undefined && method === "DELETE" && supports(BULK_SINCE)) {
        return write({ action: "bulkDelete", queries: queries() });
      }
      if (key !== undefined) {
        if (method === "GET") {
          const doc = col.documents.get(key);
          if (!doc) throw documentNotFound(key);
          return { status: 200, json: documentModel(doc, databaseId, collectionId) };
        }
        if (method === "PATCH") {
          const permissions = Array.isArray(body.permissions) ? (body.permissions as string[]) : undefined;
          return write({ action: "update", documentId: key, data: data(false), permissions });
        }
        if (method === "DELETE") return write({ action: "delete", documentId: key });
      }
    }
    throw new ApiError(
      404,
      "general_route_not_found",
      "The requested route was not found. Please refer to the API docs and try again.",
    );
  }

  function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string>) {
    if (json === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(json));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    requests.push({ method, path: url.pathname });
    // Like Appwrite: answers in its own format, and warns a client built for a newer one (SDKs print it).
    const headers: Record<string, string> = {};
    const format = req.headers["x-appwrite-response-format"];
    if (typeof format === "string" && compareVersions(format, version) > 0) {
      headers["x-appwrite-warning"] =
        `The current SDK is built for Appwrite ${format}. However, the current Appwrite server version is ${version}. Please downgrade your SDK to match the Appwrite version: https://appwrite.io/docs/sdks`;
    }
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      if (text) {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new ApiError(400, "general_argument_invalid", "Invalid JSON body.");
        }
      }
      if (!url.pathname.startsWith("/v1/"))
        throw new ApiError(404, "general_route_not_found", "The requested route was not found.");
      if (req.headers["x-appwrite-project"] !== options.projectId) {
        throw new ApiError(
          404,
          "project_not_found",
          "Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.",
        );
      }
      if (req.headers["x-appwrite-key"] !== options.apiKey) {
        throw new ApiError(
          401,
          "general_unauthorized_scope",
          'app.guests (role: guests) missing scopes (["databases.read"])',
        );
      }
      const parts = url.pathname.slice("/v1/".length).split("/").filter(Boolean).map(decodeURIComponent);
      const result = route(method, parts, body, url);
      send(res, result.status, result.json, headers);
    } catch (error) {
      // Appwrite's error model; an unexpected failure is a 500 "general_unknown" (its message kept, as
      // Appwrite does in development mode).
      const known = error instanceof ApiError;
      send(
        res,
        known ? error.code : 500,
        {
          message: (error as Error).message,
          code: known ? error.code : 500,
          type: known ? error.type : "general_unknown",
          version,
        },
        headers,
      );
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
