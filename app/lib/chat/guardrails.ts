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

export type Violation = "canary" | "prompt_leak" | "ungrounded_price" | "link";

export interface OutputGuardOptions {
  canary: string;
  /** Number of products in the context: citations [1]..[productCount] are valid. */
  productCount: number;
  /** Every price a product in the context has (any variant). */
  prices: number[];
  /** Hosts a link in the text may point at (the shop's own); any other link is a violation. */
  allowedHosts?: readonly string[];
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

  constructor(private readonly options: OutputGuardOptions) {
    this.forbidden = [options.canary, ...PROMPT_MARKERS].map((s) => s.toLowerCase());
    this.holdBack = Math.max(...this.forbidden.map((s) => s.length)) - 1;
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
    const compact = window.replace(/[\s*_`"'-]+/g, "");
    if (
      window.includes(this.forbidden[0]) ||
      compact.includes(this.forbidden[0].replace(/-/g, "")) ||
      compact.includes("aislecanary")
    ) {
      this.violation = "canary";
      return "";
    }
    if (this.forbidden.slice(1).some((marker) => window.includes(marker))) {
      this.violation = "prompt_leak";
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
