// Relay connections as Shopify serves them: `first`/`last` (max 250), opaque base64 cursors of
// {"last_id","last_value"}, `pageInfo`, and — inside a bulk operation — every item without paging.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface ConnectionContext {
  /** True while executing a bulk operation's query: connections return every item. */
  bulk?: boolean;
}

export const MAX_PAGE_SIZE = 250;

export function encodeCursor(id: number, value: string | number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString("base64");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    if (typeof parsed.last_id === "number") return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

export function checkWindow(args: ConnectionArgs): void {
  const size = args.first ?? args.last;
  if (size === null || size === undefined) throw badRequest("you must provide one of first or last");
  if (size < 0) throw badRequest(`Page size must be non-negative, got ${size}.`);
  if (size > MAX_PAGE_SIZE)
    throw badRequest(`The page size of ${size} is greater than the maximum allowed of ${MAX_PAGE_SIZE}.`);
}

/**
 * Pages `items` (already filtered and in sort order) and wraps each in `view`. `key` gives the id and
 * sort value that go into the cursor.
 */
export function connection<T, V>(
  items: readonly T[],
  args: ConnectionArgs,
  context: ConnectionContext,
  key: (item: T) => { id: number; value: string | number },
  view: (item: T) => V,
) {
  const ordered = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = ordered.length;
  if (!context.bulk || args.first != null || args.last != null) {
    checkWindow(args);
    if (args.after) {
      const id = decodeCursor(args.after);
      const index = ordered.findIndex((item) => key(item).id === id);
      start = index + 1;
    }
    if (args.before) {
      const id = decodeCursor(args.before);
      const index = ordered.findIndex((item) => key(item).id === id);
      end = index < 0 ? ordered.length : index;
    }
    if (args.first != null) end = Math.min(end, start + args.first);
    else if (args.last != null) start = Math.max(start, end - args.last);
  }
  const page = ordered.slice(start, end);
  const cursors = page.map((item) => {
    const { id, value } = key(item);
    return encodeCursor(id, value);
  });
  const nodes = page.map(view);
  return {
    edges: nodes.map((node, index) => ({ cursor: cursors[index], node })),
    nodes,
    pageInfo: {
      hasNextPage: end < ordered.length,
      hasPreviousPage: start > 0,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}
