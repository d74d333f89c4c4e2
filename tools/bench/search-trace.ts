// `bench:search --trace`: where one search's time goes. A SearchableIndex that forwards to the real
// one and records every call of search's stores (catalog statements, vector queries, the query
// embedding) with its start, duration and size, so a slow query's critical path can be read off.
import type { CatalogStore } from "../../app/lib/search/catalog-store";
import type { SearchableIndex } from "../../app/lib/search/product-search.server";

export interface TracedCall {
  name: string;
  /** What sets the call's cost: ids passed, neighbours asked for, rows returned. */
  detail: string;
  start: number;
  ms: number;
}

const size = (value: unknown) => (Array.isArray(value) ? value.length : undefined);

function describe(name: string, args: unknown[], result: unknown): string {
  const parts: string[] = [];
  if (name === "queryVectors") {
    parts.push(`k=${String(args[2])}`);
    if (args[3]) parts.push(`restricted to ${size(args[3])}`);
  }
  if (name === "filtered" || name === "passing") {
    const { sort: _sort, ...filters } = args[1] as Record<string, unknown>;
    parts.push(`limit=${String(args[2])}`, Object.keys(filters).join("+"));
    if (args[3]) parts.push(`within ${size(args[3])}`);
  }
  if (name === "lexical") {
    parts.push(JSON.stringify(args[1]), Object.keys(args[2] as object).join("+") || "no filter");
  }
  const rows = size(result);
  if (rows !== undefined) parts.push(`→ ${rows}`);
  return parts.join(" ");
}

/** The index with every store call recorded into `calls` (times relative to `origin()`). */
export function tracedIndex(index: SearchableIndex, calls: TracedCall[], origin: () => number): SearchableIndex {
  const record = <T>(name: string, args: unknown[], work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    return work().then((result) => {
      calls.push({
        name,
        detail: describe(name, args, result),
        start: start - origin(),
        ms: performance.now() - start,
      });
      return result;
    });
  };
  const catalog = new Proxy(index.catalog, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        record(String(property), args, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  }) as CatalogStore;
  return {
    catalog,
    state: (shop) => record("state", [], () => index.state(shop)),
    servesCurrentModel: (state) => index.servesCurrentModel(state),
    maxRestrictedIds: index.maxRestrictedIds,
    queryVectors: (state, vector, k, restrictTo) =>
      record("queryVectors", [state, vector, k, restrictTo], () => index.queryVectors(state, vector, k, restrictTo)),
    vectorsOf: (state, ids) => record("vectorsOf", [state, ids], () => index.vectorsOf(state, ids)),
    embedQuery: (text) => record("embedQuery", [text], () => index.embedQuery(text)),
  };
}

/** One line per call, in start order: `+start ms  duration ms  name detail`. */
export function formatTrace(calls: TracedCall[]): string[] {
  return [...calls]
    .sort((a, b) => a.start - b.start)
    .map(
      (call) =>
        `    +${call.start.toFixed(1).padStart(6)} ms ${call.ms.toFixed(1).padStart(6)} ms  ${call.name} ${call.detail}`,
    );
}
