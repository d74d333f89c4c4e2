// What never reaches a log line: credentials (access, session and chat tokens, HMACs and signatures,
// Authorization and Cookie headers, API keys) and shoppers' personal data (e-mail, phone, names,
// addresses). Keys are matched at any depth (pino's own `redact` paths only reach fixed depths), and
// free text (messages, error text, URLs) is scrubbed of the shapes these values take.
export const REDACTED = "[redacted]";

/** Keys whose text value is a credential. Numbers pass: `inputTokens: 1200` is a count, not a secret. */
const SECRET_KEY =
  /token|secret|password|passwd|authorization|cookie|hmac|signature|api[-_]?key|client[-_]?secret|credential|private[-_]?key/i;
/** Keys whose value identifies a person. */
const PERSONAL_KEY =
  /e-?mail|phone|mobile|^tel$|^(first|last|middle|full|display|given|family)[-_]?name$|(first|last)Name$|address|^(zip|postal[-_]?code|postcode|street|city|province|company|birthday|date_of_birth)$|^note$/i;
/** `name` is personal inside these objects (a customer's or an address's), and a product's name elsewhere. */
const PERSON_PARENT = /customer|address|user|shopper|buyer|recipient|owner|contact|billing|shipping|associated/i;

const MAX_DEPTH = 8;

/** Free text: each pattern with what replaces it. Order matters (a Bearer JWT is one redaction). */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[^\s,;"']+/gi, `$1 ${REDACTED}`],
  // JWTs (App Bridge session tokens, id_token): three base64url parts, the first a JSON header.
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED],
  // Shopify access/refresh tokens and app secrets by their prefixes.
  [/\bshp(?:at|ua|ca|pa|ss|rt)_[A-Za-z0-9]{8,}/g, REDACTED],
  // Signed chat tokens: a base64url JSON payload ("eyJ…") "." a base64url signature.
  [/\beyJ[\w-]{10,}\.[\w-]{16,}/g, REDACTED],
  // Credentials in query strings, form bodies and header dumps: hmac=…, signature=…, id_token=…
  [
    /\b(hmac|signature|id_token|access_token|refresh_token|session_token|token|x-shopify-hmac-sha256)(=|:\s*)[^&\s,;"']+/gi,
    `$1$2${REDACTED}`,
  ],
  // OAuth's one-time code and state, in a query string only ("status code: 404" stays).
  [/([?&](?:code|state)=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[email]"],
  // Phones: international (+ and at least 7 more digits) or the common 3-3-4 national shape. Dates
  // (2026-12-02), ids and prices do not have these shapes.
  [/\+\d[\d\s().-]{6,}\d/g, "[phone]"],
  [/(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g, "[phone]"],
];

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

function isPersonalKey(key: string, parentKey: string | undefined): boolean {
  if (PERSONAL_KEY.test(key)) return true;
  return /^name$/i.test(key) && parentKey !== undefined && PERSON_PARENT.test(parentKey);
}

/**
 * A copy of `value` safe to log: credentials and personal data by key (any depth), free text scrubbed.
 * Never mutates the caller's objects. Errors stay errors of the same class, with scrubbed text.
 */
export function redactForLog(value: unknown, parentKey?: string, depth = 0, seen = new WeakSet<object>()): unknown {
  // A text under a credential's key (also each text of a list under it) is the credential.
  if (typeof value === "string") return parentKey && SECRET_KEY.test(parentKey) ? REDACTED : redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[depth]";
  seen.add(value);
  try {
    if (value instanceof Error) {
      // A scrubbed clone of the same class, so pino's error serializer still names its type.
      const clone = Object.create(Object.getPrototypeOf(value)) as Error;
      for (const key of Object.getOwnPropertyNames(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
        if (!("value" in descriptor)) continue;
        const original: unknown = descriptor.value;
        const secret = key !== "message" && key !== "stack" && SECRET_KEY.test(key) && typeof original === "string";
        descriptor.value = secret ? REDACTED : redactForLog(original, key, depth + 1, seen);
        Object.defineProperty(clone, key, descriptor);
      }
      return clone;
    }
    if (value instanceof Date) return value;
    if (value instanceof URL) return redactText(value.href);
    if (typeof Headers !== "undefined" && value instanceof Headers) {
      return redactForLog(Object.fromEntries(value.entries()), parentKey, depth + 1, seen);
    }
    if (typeof Request !== "undefined" && value instanceof Request) {
      const request = { method: value.method, url: value.url, headers: value.headers };
      return redactForLog(request, parentKey, depth, seen);
    }
    if (value instanceof Map) return redactForLog(Object.fromEntries(value), parentKey, depth, seen);
    if (Array.isArray(value)) return value.map((item) => redactForLog(item, parentKey, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      // An object under a credential's key is walked: `tokens: { input: 1200 }` is counts, not a secret.
      copy[key] = isPersonalKey(key, parentKey) && item !== null ? REDACTED : redactForLog(item, key, depth + 1, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
