// Output and context guardrails. Model output is filtered as it streams: the system prompt's
// canary (and tell-tale prompt phrases) must never reach the shopper, HTML never passes, citations
// must point at products actually given, an amount of money in any currency notation must be one of
// the given products' prices, and no address other than the shop's own may appear. Product text put
// into the prompt is neutralised so it cannot fake context entries.
import { randomBytes } from "node:crypto";

export function createCanary(): string {
  return `AISLE-CANARY-${randomBytes(8).toString("hex")}`;
}

/** Phrases only the system prompt contains: their appearance in output means it is being leaked. */
export const PROMPT_MARKERS = ["confidential marker", "CATALOG CONTEXT", "untrusted data"];

export type Violation = "canary" | "prompt_leak" | "ungrounded_price" | "ungrounded_stock" | "link" | "off_topic";

/** What the guard knows of one context product, to check what the answer says about it. */
export interface GuardProduct {
  ref: number;
  title: string;
  /** Every price it has (any variant, min and max). */
  prices: number[];
  available: boolean;
}

export interface OutputGuardOptions {
  canary: string;
  /** Number of products in the context: citations [1]..[productCount] are valid. */
  productCount: number;
  /** Every price a product in the context has (any variant). */
  prices: number[];
  /** Hosts a link in the text may point at (the shop's own); any other link is a violation. */
  allowedHosts?: readonly string[];
  /**
   * The context's products. When given, an amount or a stock statement next to a citation must be
   * that product's, and a finished answer must cite or name at least one of them (else it is off topic).
   */
  products?: readonly GuardProduct[];
}

const TAG = /<\/?[a-zA-Z][^<>]*>|<!--[\s\S]*?-->/g;
const CITATION = /\[(\d{1,3})\]/g;

// ---- links ------------------------------------------------------------------------------------------
// Product cards carry the only URLs a shopper needs; model text never does. Anything that a browser,
// a chat app or a shopper would take for an address counts: a scheme ("https://", "mailto:"), "www.",
// or a host name — labels joined by dots ending in a letter-only label of 2+ letters or a punycode one
// ("evil.top", "bit.do", "xn--80ak6aa92e.com") — whatever the top-level domain.
const SCHEME = /\b(?:[a-z][a-z0-9+.-]*:\/\/|mailto:|www\.)/i;
const HOST = /(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]+))(?![\w-])/giu;

/** The first link-like token in `text` whose host is not one of `allowedHosts`, or null. */
export function foreignLink(text: string, allowedHosts: readonly string[] = []): string | null {
  const scheme = SCHEME.exec(text);
  if (scheme) {
    // An address with a scheme is allowed only when what follows is one of the allowed hosts.
    const rest = text.slice(scheme.index + scheme[0].length).toLowerCase();
    if (!allowedHosts.some((host) => rest.startsWith(host.toLowerCase()))) return scheme[0];
  }
  for (const match of text.matchAll(HOST)) {
    const host = match[1].toLowerCase();
    if (!allowedHosts.some((allowed) => allowed.toLowerCase() === host)) return match[1];
  }
  return null;
}

// ---- amounts ----------------------------------------------------------------------------------------
// A price in any currency notation: a currency sign (any Unicode currency symbol, "R$", "kr", "zł",
// "Fr."), an ISO 4217 code ("USD 5", "5 EUR") or a currency word, before or after a number written
// the US, European or Swiss way ("1,299.00", "1.299,00", "1 299,00", "1'299.00").
// Upper case only, and not the codes that are also everyday words in capitals ("TOP 5", "ALL 3").
const WORD_LIKE_CODES = new Set(["ALL", "TOP", "CUP", "MOP", "PEN", "SOS", "TRY", "BOB"]);
const ISO_CODES = Intl.supportedValuesOf("currency")
  .filter((code) => !WORD_LIKE_CODES.has(code))
  .join("|");
const SIGN = String.raw`(?:\p{Sc}|\b(?:R|A|C|NZ|HK|S|US)\$|\b[Kk]r\.?|\bzł|\bFr\.|\bKč|\bFt|\b(?:${ISO_CODES})\b)`;
const WORD = String.raw`(?:[Dd]ollars?|[Ee]uros?|[Pp]ounds?|[Yy]en|[Yy]uan|[Rr]upees?|[Ff]rancs?|[Kk]ronor|[Kk]roner|[Kk]rona|[Kk]rone|[Zz]łoty|[Zz]loty|[Pp]esos?|[Rr]eais|[Rr]and)\b`;
const NUMBER = String.raw`(\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
const AMOUNT = new RegExp(String.raw`${SIGN}\s?${NUMBER}|${NUMBER}\s?(?:${SIGN}|${WORD})`, "gu");

/** "1,299.00", "1.299,00", "1 299,00", "12,5" → the number they write. */
export function parseAmount(written: string): number {
  const compact = written.replace(/[' \u00a0\u202f]/g, "");
  const lastSeparator = Math.max(compact.lastIndexOf(","), compact.lastIndexOf("."));
  // A separator followed by one or two digits is the decimal one; a group of three is thousands.
  const decimals = lastSeparator >= 0 && compact.length - lastSeparator - 1 <= 2 ? lastSeparator : -1;
  const whole = (decimals >= 0 ? compact.slice(0, decimals) : compact).replace(/[,.]/g, "");
  return Number(decimals >= 0 ? `${whole}.${compact.slice(decimals + 1)}` : whole);
}

export class OutputGuard {
  private pending = "";
  private emitted = "";
  private readonly forbidden: string[];
  private readonly holdBack: number;
  violation: Violation | undefined;

  private readonly compactForbidden: string[];

  constructor(private readonly options: OutputGuardOptions) {
    this.forbidden = [options.canary, ...PROMPT_MARKERS].map((s) => s.toLowerCase());
    // Twice the longest: a canary written with a space between its letters is still seen whole.
    this.holdBack = 2 * Math.max(...this.forbidden.map((s) => s.length));
    const canaryCompact = compactText(options.canary);
    const secret = canaryCompact.replace(/^aislecanary/, "");
    // The canary, its random part alone, the canary's fixed prefix, and the prompt's phrases, all
    // without spacing or punctuation.
    this.compactForbidden = [canaryCompact, secret, "aislecanary", ...PROMPT_MARKERS.map(compactText)];
  }

  /** The leak `text` contains: plainly, spaced out, reversed, or base64/hex encoded. */
  private leakIn(text: string): Violation | undefined {
    const compact = compactText(text);
    const reversed = [...compact].reverse().join("");
    // Encoded runs also joined across line breaks and spaces (base64 wrapped at 76 characters).
    const decoded = [...decodedRuns(text), ...decodedRuns(text.replace(/\s+/g, ""))].map(compactText);
    for (const candidate of [compact, reversed, ...decoded]) {
      const found = this.compactForbidden.findIndex((marker) => candidate.includes(marker));
      if (found >= 0) return found < 3 ? "canary" : "prompt_leak";
    }
    return undefined;
  }

  /** The text emitted so far (already filtered). */
  get text(): string {
    return this.emitted;
  }

  get citations(): number[] {
    return citedRefs(this.emitted, this.options.productCount);
  }

  /** Feeds a model delta; returns what may be shown now ("" while holding back or after a violation). */
  push(delta: string): string {
    if (this.violation) return "";
    this.pending += delta;
    return this.release(false);
  }

  /** End of the model's output: releases what was held back. */
  flush(): string {
    if (this.violation) return "";
    return this.release(true);
  }

  private release(final: boolean): string {
    const window = (this.emitted.slice(-this.holdBack) + this.pending).toLowerCase();
    if (window.includes(this.forbidden[0])) {
      this.violation = "canary";
      return "";
    }
    if (this.forbidden.slice(1).some((marker) => window.includes(marker))) {
      this.violation = "prompt_leak";
      return "";
    }
    // Encoded runs can be long (base64 of the whole prompt): judged over everything not yet shown
    // plus the tail, and whole words only are released, so a run is never shown in part.
    const leak = this.leakIn(window) ?? this.leakIn(this.emitted + this.pending);
    if (leak) {
      this.violation = leak;
      return "";
    }
    let cut = final ? this.pending.length : Math.max(0, this.pending.length - this.holdBack);
    if (!final) {
      // Never split a word or an HTML tag: citations, links, amounts and tags are judged whole.
      const partial = /\S+$/.exec(this.pending.slice(0, cut));
      if (partial) cut = partial.index;
      const open = cut > 0 ? this.pending.lastIndexOf("<", cut - 1) : -1;
      if (open >= 0 && !this.pending.slice(open, cut).includes(">")) cut = open;
    }
    const ready = this.pending.slice(0, cut);
    const clean = sanitizeModelText(ready, this.options.productCount);
    // Judged on everything shown so far plus this piece, so an amount or an address written across
    // two releases ("USD" … "5", "https:" … "//x.top") is seen whole.
    const shown = this.emitted + clean;
    if (hasUngroundedAmount(shown, this.options.prices)) {
      this.violation = "ungrounded_price";
      return "";
    }
    if (foreignLink(shown, this.options.allowedHosts)) {
      this.violation = "link";
      return "";
    }
    const products = this.options.products;
    if (products) {
      const claim = misattributedClaim(shown, products);
      if (claim) {
        this.violation = claim;
        return "";
      }
      if (final && shown.trim() && !mentionsProduct(shown, products)) {
        this.violation = "off_topic";
        return "";
      }
    }
    this.pending = this.pending.slice(cut);
    this.emitted += clean;
    return clean;
  }
}

/** Removes HTML and citations of products that were not given. */
export function sanitizeModelText(text: string, productCount: number): string {
  return text
    .replace(TAG, "")
    .replace(/[<>]/g, "")
    .replace(CITATION, (whole, n: string) => (Number(n) >= 1 && Number(n) <= productCount ? whole : ""));
}

export function citedRefs(text: string, productCount: number): number[] {
  const refs = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    const n = Number(match[1]);
    if (n >= 1 && n <= productCount) refs.add(n);
  }
  return [...refs].sort((a, b) => a - b);
}

// ---- leaks in disguise -------------------------------------------------------------------------------

/** Lower case letters and digits only: "A I S L E - c a n a r y" → "aislecanary". */
function compactText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}[\s:]?){12,}/g;

/** What base64 (any alignment, standard or URL alphabet) and hex runs in `text` decode to, when text. */
function decodedRuns(text: string): string[] {
  const decoded: string[] = [];
  for (const [run] of text.matchAll(BASE64_RUN)) {
    for (let skip = 0; skip < 4; skip++) {
      const body = run.slice(skip).replace(/=+$/, "");
      const plain = Buffer.from(body.slice(0, body.length - (body.length % 4 === 1 ? 1 : 0)), "base64").toString(
        "latin1",
      );
      decoded.push(plain);
    }
  }
  for (const [run] of text.matchAll(HEX_RUN)) {
    const digits = run.replace(/[\s:]/g, "");
    decoded.push(Buffer.from(digits.slice(0, digits.length - (digits.length % 2)), "hex").toString("latin1"));
  }
  return decoded;
}

// ---- what the answer says about a product ---------------------------------------------------------------
// A clause (up to . ! ? ; or a line end) that cites products: each amount and stock statement in it is
// about the citation nearest to it. Clauses without a citation are checked against all the products.
const STOCK_CLAIM =
  /\b(?:(?<out>out of stock|sold out|unavailable|(?:not|no longer|(?:is|are)n[’']t)\s+(?:in stock|available)|back ?ordered)|(?<in>in stock|available now|ready to ship|ships today|is available|are available)|(?<count>\d+\s+(?:left|remaining|in stock|available)))\b/gi;

interface Positioned {
  index: number;
  end: number;
}

function nearestRef(claim: Positioned, citations: Array<Positioned & { ref: number }>): number | undefined {
  let best: { ref: number; distance: number } | undefined;
  for (const citation of citations) {
    const distance = citation.end <= claim.index ? claim.index - citation.end : citation.index - claim.end;
    if (!best || Math.abs(distance) < best.distance) best = { ref: citation.ref, distance: Math.abs(distance) };
  }
  return best?.ref;
}

/** The first amount or stock statement that contradicts the product it is about, as a violation. */
export function misattributedClaim(text: string, products: readonly GuardProduct[]): Violation | undefined {
  const byRef = new Map(products.map((product) => [product.ref, product]));
  for (const clause of text.split(/[!?;\n]|\.(?=\s|$)/)) {
    const citations = [...clause.matchAll(CITATION)]
      .map((match) => ({ ref: Number(match[1]), index: match.index, end: match.index + match[0].length }))
      .filter((citation) => byRef.has(citation.ref));
    const about = (claim: Positioned) => {
      const ref = nearestRef(claim, citations);
      return ref === undefined ? [...byRef.values()] : [byRef.get(ref)!];
    };
    for (const match of clause.matchAll(AMOUNT)) {
      const amount = parseAmount(match[1] ?? match[2]);
      const claimed = about({ index: match.index, end: match.index + match[0].length });
      if (!claimed.some((product) => product.prices.some((price) => Math.abs(price - amount) < 0.005))) {
        return "ungrounded_price";
      }
    }
    for (const match of clause.matchAll(STOCK_CLAIM)) {
      const claimed = about({ index: match.index, end: match.index + match[0].length });
      // The context says in or out of stock, never how many: a count is always invented.
      if (match.groups?.count) return "ungrounded_stock";
      const saysAvailable = Boolean(match.groups?.in);
      // "not in stock" is caught by the out-of-stock words first (earlier alternative).
      if (!claimed.some((product) => product.available === saysAvailable)) return "ungrounded_stock";
    }
  }
  return undefined;
}

/** Whether the answer cites one of the products or names one by its title. */
function mentionsProduct(text: string, products: readonly GuardProduct[]): boolean {
  if (citedRefs(text, products.length).length > 0) return true;
  const lower = text.toLowerCase();
  return products.some((product) => product.title.length >= 3 && lower.includes(product.title.toLowerCase()));
}

export function hasUngroundedAmount(text: string, prices: number[]): boolean {
  for (const match of text.matchAll(AMOUNT)) {
    const amount = parseAmount(match[1] ?? match[2]);
    if (!prices.some((price) => Math.abs(price - amount) < 0.005)) return true;
  }
  return false;
}

/**
 * Product text as prompt data: one line, bounded, without anything that looks like a context
 * entry ("[3] …"), a role marker ("system:") or our delimiters.
 */
export function neutralizeUntrusted(text: string, maxChars: number): string {
  const flat = text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\[(\d{1,3})\]/g, "($1)")
    .replace(/<<<|>>>|```/g, " ")
    .replace(/\b(system|assistant|developer|user)\s*:/gi, "$1 -")
    .replace(/\s{2,}/g, " ")
    .trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), maxChars * 0.8))}…`;
}
