// The part of Shopify's search syntax (`query:` arguments) the emulator understands: terms joined by
// spaces/AND, OR between groups, `-`/NOT negation, `field:value`, comparisons (`field:>=2026-01-01`),
// quoted values and trailing `*` prefix wildcards. Unknown fields match nothing, like Shopify.

export type FieldReader<T> = (item: T, field: string) => readonly (string | number | null)[] | undefined;

interface Term {
  negate: boolean;
  field: string | null;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const pattern = /(-?[\w.]+:(?:[<>]=?)?"[^"]*"|"[^"]*"|\S+)/g;
  for (const match of query.matchAll(pattern)) tokens.push(match[0]);
  return tokens;
}

function parseTerm(token: string): Term {
  let negate = false;
  let text = token;
  if (text.startsWith("-")) {
    negate = true;
    text = text.slice(1);
  }
  const match = /^([\w.]+):(>=|<=|>|<)?(.*)$/.exec(text);
  const unquote = (value: string) => value.replace(/^"(.*)"$/, "$1");
  if (!match) return { negate, field: null, op: ":", value: unquote(text) };
  return { negate, field: match[1].toLowerCase(), op: (match[2] as Term["op"]) ?? ":", value: unquote(match[3]) };
}

function compare(actual: string | number | null, term: Term): boolean {
  if (actual === null) return false;
  if (term.op === ":") {
    const expected = term.value.toLowerCase();
    const text = String(actual).toLowerCase();
    return expected.endsWith("*") ? text.startsWith(expected.slice(0, -1)) : text === expected;
  }
  const left = typeof actual === "number" ? actual : String(actual);
  const right = typeof actual === "number" ? Number(term.value) : term.value;
  if (term.op === ">") return left > right;
  if (term.op === ">=") return left >= right;
  if (term.op === "<") return left < right;
  return left <= right;
}

/** Compiles a query into a predicate. `freeText` gives the words a bare term is matched against. */
export function compileSearch<T>(
  query: string | null | undefined,
  read: FieldReader<T>,
  freeText: (item: T) => string,
): (item: T) => boolean {
  if (!query || !query.trim()) return () => true;
  const groups: Term[][] = [[]];
  let pendingNot = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      pendingNot = true;
      continue;
    }
    const term = parseTerm(token);
    if (pendingNot) term.negate = !term.negate;
    pendingNot = false;
    groups[groups.length - 1].push(term);
  }
  const matches = (item: T, term: Term): boolean => {
    if (term.field === null) {
      const text = freeText(item).toLowerCase();
      const needle = term.value.toLowerCase().replace(/\*$/, "");
      return text.includes(needle);
    }
    const values = read(item, term.field);
    if (values === undefined) return false;
    return values.some((value) => compare(value, term));
  };
  return (item) => groups.some((group) => group.every((term) => matches(item, term) !== term.negate));
}
