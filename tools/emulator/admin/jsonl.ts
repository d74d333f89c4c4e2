// Shopify's bulk-operation JSONL encoding, as the captured raw result bodies show it: compact JSON,
// "/" written as "\/", "&<>" as \u0026 \u003c \u003e (Rails' JSON escaping, which also covers U+2028/9),
// one object per line, "__parentId" as the last key of child lines, and a trailing newline.
const ESCAPES: Record<string, string> = {
  "/": "\\/",
  "&": "\\u0026",
  "<": "\\u003c",
  ">": "\\u003e",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export function shopifyJsonLine(record: Record<string, unknown>): string {
  // These characters can only occur inside JSON strings, so replacing them in the text is safe.
  return `${JSON.stringify(record).replace(/[/&<>\u2028\u2029]/g, (char) => ESCAPES[char])}\n`;
}
