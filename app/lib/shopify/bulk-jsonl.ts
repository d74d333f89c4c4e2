// Streams a bulk operation's JSONL result back into products, one at a time (memory stays flat
// whatever the catalog size). Shopify writes each nested connection's objects as their own lines
// with `__parentId`; with `groupObjects: true` a product's children (and its variants' media)
// follow it before the next product starts.
import { ZodError } from "zod";
import type { Product } from "../catalog/product";
import { gidType } from "./gid";
import { productFromGraphql } from "./product-from-graphql";

type Json = Record<string, unknown>;

export type MalformedLine = { type: "malformed"; line: number; reason: string; productId?: string };

export type BulkGroup = {
  type: "group";
  root: Json;
  /** Direct children and grandchildren, in file order. */
  children: Json[];
  startLine: number;
  /** Lines up to and including this group's last line: a safe resume point. */
  linesThrough: number;
  /** A malformed line sat inside this group: the record may be missing parts. */
  incomplete: boolean;
};

export type BulkEvent =
  { type: "product"; product: Product; linesThrough: number; incomplete: boolean } | MalformedLine;

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Groups JSONL lines into root objects with their descendants.
 * @param rootType the GID type of top-level objects ("Product")
 * @param skipLines lines already applied by an earlier attempt (a resume point from `linesThrough`)
 */
export async function* groupBulkLines(
  lines: AsyncIterable<string>,
  rootType: string,
  skipLines = 0,
): AsyncGenerator<BulkGroup | MalformedLine> {
  let lineNumber = 0;
  let current: (BulkGroup & { ids: Set<string> }) | undefined;

  const flush = (): BulkGroup | undefined => {
    if (!current) return undefined;
    const { ids: _ids, ...group } = current;
    current = undefined;
    return { ...group, linesThrough: lineNumber - 1 };
  };

  for await (const text of lines) {
    lineNumber++;
    if (lineNumber <= skipLines || text.trim() === "") continue;
    let record: Json;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
      record = parsed as Json;
    } catch (error) {
      if (current) current.incomplete = true;
      yield {
        type: "malformed",
        line: lineNumber,
        reason: `unreadable line: ${describe(error)}`,
        productId: current?.root.id as string | undefined,
      };
      continue;
    }
    const parentId = record.__parentId;
    if (parentId === undefined) {
      const done = flush();
      if (done) yield done;
      if (gidType(record.id) !== rootType) {
        yield {
          type: "malformed",
          line: lineNumber,
          reason: `top-level object is not a ${rootType}: ${String(record.id)}`,
        };
        continue;
      }
      current = {
        type: "group",
        root: record,
        children: [],
        startLine: lineNumber,
        linesThrough: lineNumber,
        incomplete: false,
        ids: new Set([record.id as string]),
      };
      continue;
    }
    if (current && typeof parentId === "string" && current.ids.has(parentId)) {
      current.children.push(record);
      if (typeof record.id === "string") current.ids.add(record.id);
      continue;
    }
    yield {
      type: "malformed",
      line: lineNumber,
      reason: `child of ${String(parentId)} outside its parent's group (export not grouped?)`,
      productId: gidType(parentId) === rootType ? (parentId as string) : undefined,
    };
  }
  lineNumber++;
  const last = flush();
  if (last) yield last;
}

/** A product's group → the GraphQL product shape (connections as `nodes`) → Product. */
export function productFromBulkGroup(group: BulkGroup): Product {
  const { __parentId: _ignored, ...root } = group.root;
  const childrenOf = (parentId: unknown, type: string) =>
    group.children.filter((c) => c.__parentId === parentId && gidType(c.id) === type);
  const variants = childrenOf(root.id, "ProductVariant");
  return productFromGraphql({
    ...root,
    variants: {
      nodes: variants.map((variant) => ({
        ...variant,
        media: { nodes: group.children.filter((c) => c.__parentId === variant.id) },
      })),
    },
    collections: { nodes: childrenOf(root.id, "Collection") },
    metafields: { nodes: childrenOf(root.id, "Metafield") },
  });
}

export async function* assembleBulkProducts(lines: AsyncIterable<string>, skipLines = 0): AsyncGenerator<BulkEvent> {
  for await (const event of groupBulkLines(lines, "Product", skipLines)) {
    if (event.type === "malformed") {
      yield event;
      continue;
    }
    try {
      yield {
        type: "product",
        product: productFromBulkGroup(event),
        linesThrough: event.linesThrough,
        incomplete: event.incomplete,
      };
    } catch (error) {
      yield {
        type: "malformed",
        line: event.startLine,
        reason: `product ${String(event.root.id)} is not a valid product record: ${describe(error)}`,
        productId: typeof event.root.id === "string" ? event.root.id : undefined,
      };
    }
  }
}
