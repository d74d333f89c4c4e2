// Bulk operations of one shop: validation with Shopify's messages, CREATED → RUNNING → COMPLETED /
// FAILED / CANCELED, at most five query operations at a time (API 2026-01 and later; a sixth is
// refused with OPERATION_IN_PROGRESS), a failed operation's partial result (`partialDataUrl`), and
// the JSONL result streamed to a file in windows of root objects, so a 100,000-product export never
// sits in memory.
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import {
  getNamedType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { nowIso } from "../store/shop-store";
import { shopifyJsonLine } from "./jsonl";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

export interface BulkOperationRecord {
  id: number;
  type: "QUERY" | "MUTATION";
  status: BulkStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  /** A FAILED operation's incomplete result (Shopify: `partialDataUrl`), when it wrote some. */
  partialDataUrl: string | null;
  query: string;
  filePath: string;
  /** How many times the result file was downloaded. */
  downloads: number;
}

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

export interface BulkRunner {
  /** Executes the bulk query for root items [start, end); returns the root connection's nodes. */
  executeWindow(document: DocumentNode, start: number, end: number): Promise<Record<string, unknown>[]>;
  /** Called when an operation reaches a terminal state (for the bulk_operations/finish webhook). */
  finished(op: BulkOperationRecord): void;
  resultUrl(op: BulkOperationRecord): string;
  /** Test/benchmark knob: wait this long in RUNNING before the first window. */
  startDelayMs(): number;
}

const WINDOW = 250;
/** Concurrent bulk query operations per app and shop from API version 2026-01 on (one before). */
export const MAX_CONCURRENT_BULK_QUERIES = 5;

interface PendingFailures {
  count: number;
  errorCode: string;
  /** Fail part-way: write the first `partialLines` lines of the result, then fail with a partialDataUrl. */
  partialLines?: number;
}
const invalid = (message: string): UserError => ({ field: ["query"], message, code: "INVALID" });

function isConnectionType(type: GraphQLOutputType): boolean {
  return getNamedType(type).name.endsWith("Connection");
}

/** Shopify's structural rules for bulk queries (messages as captured from the real API). */
export function checkBulkQuery(schema: GraphQLSchema, query: string): { document?: DocumentNode; error?: UserError } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const message = (error as Error).message.replace(/^Syntax Error: /, "");
    return { error: invalid(`Invalid bulk query: ${message}`) };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== "query") {
    return { error: invalid("Invalid operation type. Only `query` operations are supported.") };
  }
  const errors = validate(schema, document);
  if (errors.length) return { error: invalid(`Invalid bulk query: ${errors[0].message}`) };

  const root = operations[0].selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (root.some((field) => field.name.value === "node" || field.name.value === "nodes")) {
    return { error: invalid("Bulk queries cannot contain a top level `node` field.") };
  }
  let connections = 0;
  let tooDeep = false;
  let inList = false;
  const viaNodes: string[] = [];
  const withoutId: string[] = [];
  const walk = (parent: GraphQLObjectType, selectionSet: SelectionSetNode, depth: number, underList: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const type = getNamedType(field.type) as GraphQLObjectType;
      if (isConnectionType(field.type)) {
        connections++;
        if (depth + 1 > 2) tooDeep = true;
        if (underList) inList = true;
        const edges = selection.selectionSet.selections.find(
          (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "edges",
        );
        const node = edges?.selectionSet?.selections.find(
          (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node",
        );
        if (!node?.selectionSet) {
          viaNodes.push(selection.name.value);
          continue;
        }
        const nodeType = getNamedType(
          (getNamedType((type.getFields().edges as { type: GraphQLOutputType }).type) as GraphQLObjectType).getFields()
            .node.type,
        ) as GraphQLObjectType;
        const hasNestedConnection = node.selectionSet.selections.some(
          (s) =>
            s.kind === Kind.FIELD &&
            nodeType.getFields()[s.name.value] &&
            isConnectionType(nodeType.getFields()[s.name.value].type),
        );
        const selectsId = node.selectionSet.selections.some(
          (s) => s.kind === Kind.FIELD && s.name.value === "id" && !s.alias,
        );
        if (hasNestedConnection && !selectsId) withoutId.push(selection.name.value);
        walk(nodeType, node.selectionSet, depth + 1, underList);
      } else if ("getFields" in type) {
        const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
        walk(type, selection.selectionSet, depth, underList || isListType(unwrapped));
      }
    }
  };
  walk(schema.getQueryType()!, operations[0].selectionSet, 0, false);
  if (connections === 0) return { error: invalid("Bulk queries must contain at least one connection.") };
  if (viaNodes.length) {
    return {
      error: invalid(
        `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${viaNodes[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: ${viaNodes.map((n) => `'${n}'`).join(", ")}.`,
      ),
    };
  }
  if (connections > 5) return { error: invalid("Bulk queries cannot contain more than 5 connections.") };
  if (tooDeep)
    return { error: invalid("Bulk queries cannot contain connections with a nesting depth greater than 2.") };
  if (inList) {
    return {
      error: invalid("Queries that contain a connection field within a list field are not currently supported."),
    };
  }
  if (withoutId.length) {
    return {
      error: invalid(
        `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${withoutId.join(", ")}.`,
      ),
    };
  }
  return { document };
}

function isConnectionValue(value: unknown): value is { edges: { node: Record<string, unknown> }[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { edges?: unknown }).edges);
}

/** Turns one root node (with nested connections) into JSONL lines: parent first, then its children. */
export function flattenBulkNode(node: Record<string, unknown>, parentId: string | null, out: string[]): number {
  const own: Record<string, unknown> = {};
  const children: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnectionValue(value)) children.push(...value.edges.map((edge) => edge.node));
    else own[key] = value;
  }
  if (parentId !== null) own.__parentId = parentId;
  out.push(shopifyJsonLine(own));
  let count = 1;
  for (const child of children) count += flattenBulkNode(child, node.id as string, out);
  return count;
}

export class BulkOperations {
  private readonly operations: BulkOperationRecord[] = [];
  private pendingFailures: PendingFailures = { count: 0, errorCode: "INTERNAL_SERVER_ERROR" };
  private held: { released: Promise<void>; release: () => void } | null = null;
  private capCode: "OPERATION_IN_PROGRESS" | "LIMIT_REACHED" = "OPERATION_IN_PROGRESS";

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly directory: string,
    private readonly nextId: () => number,
    private readonly runner: BulkRunner,
  ) {}

  find(id: number): BulkOperationRecord | undefined {
    return this.operations.find((op) => op.id === id);
  }

  list(): BulkOperationRecord[] {
    return this.operations;
  }

  /**
   * Fault knob: the next `count` query operations end FAILED with `errorCode` once they run. With
   * `partialLines`, each first writes that many lines of its result (cut wherever they end, as a
   * failure part-way through does) and offers them as its `partialDataUrl`.
   */
  failNext(count: number, errorCode = "INTERNAL_SERVER_ERROR", options: { partialLines?: number } = {}): void {
    this.pendingFailures = { count, errorCode, ...options };
  }

  /**
   * Knob: operations stay RUNNING (none writes a line) until the returned function is called, as a
   * long export by another process of the app would.
   */
  hold(): () => void {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = { released, release: () => release() };
    this.held = held;
    return () => {
      if (this.held === held) this.held = null;
      held.release();
    };
  }

  /** Seven days pass: completed results expire (status EXPIRED; their URL is refused from now on). */
  expireResults(): number {
    const completed = this.operations.filter((op) => op.status === "COMPLETED");
    for (const op of completed) op.status = "EXPIRED";
    return completed.length;
  }

  /**
   * Knob: the code a run refused at the cap answers with. Shopify documents both codes
   * (LIMIT_REACHED: "Bulk operations limit reached"), not which one the five-at-once cap uses.
   */
  answerCapWith(code: "OPERATION_IN_PROGRESS" | "LIMIT_REACHED"): void {
    this.capCode = code;
  }

  run(query: string, _groupObjects: boolean): { operation?: BulkOperationRecord; userErrors: UserError[] } {
    const running = this.operations.filter(
      (op) => op.type === "QUERY" && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"),
    );
    if (running.length >= MAX_CONCURRENT_BULK_QUERIES && this.capCode === "LIMIT_REACHED") {
      return {
        userErrors: [
          { field: null, message: "Bulk operations limit reached. Please try again later.", code: "LIMIT_REACHED" },
        ],
      };
    }
    if (running.length >= MAX_CONCURRENT_BULK_QUERIES) {
      return {
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${running[0].id}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const { document, error } = checkBulkQuery(this.schema, query);
    if (error || !document) return { userErrors: [error!] };
    const id = this.nextId();
    const op: BulkOperationRecord = {
      id,
      type: "QUERY",
      status: "CREATED",
      errorCode: null,
      createdAt: nowIso(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query,
      filePath: path.join(this.directory, `bulk-${id}.jsonl`),
      downloads: 0,
    };
    this.operations.push(op);
    // Like Shopify, the mutation answers CREATED; the work starts afterwards.
    setTimeout(() => void this.execute(op, document), 0);
    return { operation: { ...op }, userErrors: [] };
  }

  cancel(id: number): { operation?: BulkOperationRecord; userErrors: { field: string[] | null; message: string }[] } {
    const op = this.find(id);
    if (!op) return { userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return {
        operation: op,
        userErrors: [
          { field: null, message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` },
        ],
      };
    }
    op.status = "CANCELING";
    return { operation: { ...op }, userErrors: [] };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.operations.map((op) => rm(op.filePath, { force: true })));
  }

  private async execute(op: BulkOperationRecord, document: DocumentNode): Promise<void> {
    if (op.status === "CANCELING") return this.finish(op, "CANCELED");
    op.status = "RUNNING";
    const delay = this.runner.startDelayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.held) await this.held.released;
    let failure: PendingFailures | null = null;
    if (this.pendingFailures.count > 0) {
      this.pendingFailures.count--;
      failure = { ...this.pendingFailures };
      if (failure.partialLines === undefined) {
        op.errorCode = failure.errorCode;
        return this.finish(op, "FAILED");
      }
    }
    // Lines still to write before the operation fails part-way (Infinity: it does not).
    let budget = failure?.partialLines ?? Infinity;
    const file = createWriteStream(op.filePath);
    const fileClosed = new Promise<void>((resolve, reject) => {
      file.once("close", resolve);
      file.once("error", reject);
    });
    try {
      for (let start = 0; ; start += WINDOW) {
        if ((op.status as BulkStatus) === "CANCELING") break;
        const nodes = await this.runner.executeWindow(document, start, start + WINDOW);
        const lines: string[] = [];
        for (const node of nodes) {
          if (budget === 0) break;
          const own: string[] = [];
          flattenBulkNode(node, null, own);
          const written = own.slice(0, budget);
          budget -= written.length;
          lines.push(...written);
          op.objectCount += written.length;
          op.rootObjectCount++;
        }
        const chunk = lines.join("");
        op.fileSize = (op.fileSize ?? 0) + Buffer.byteLength(chunk);
        if (chunk && !file.write(chunk)) await new Promise<void>((resolve) => file.once("drain", () => resolve()));
        if (nodes.length < WINDOW || budget === 0) break;
        // Let other requests (polls, webhooks) through between windows.
        await new Promise((resolve) => setImmediate(resolve));
      }
      file.end();
      await fileClosed;
      if ((op.status as BulkStatus) === "CANCELING") return this.finish(op, "CANCELED");
      if (failure) {
        op.errorCode = failure.errorCode;
        if (op.objectCount === 0) op.fileSize = null;
        else op.partialDataUrl = this.runner.resultUrl(op);
        return this.finish(op, "FAILED");
      }
      if (op.objectCount === 0) op.fileSize = null;
      else op.url = this.runner.resultUrl(op);
      this.finish(op, "COMPLETED");
    } catch (error) {
      file.destroy();
      op.errorCode = "INTERNAL_SERVER_ERROR";
      op.fileSize = null;
      this.finish(op, "FAILED");
      console.error(`[store-emulator] bulk operation ${op.id} failed:`, error);
    }
  }

  private finish(op: BulkOperationRecord, status: BulkStatus): void {
    op.status = status;
    op.completedAt = nowIso();
    this.runner.finished(op);
  }
}
