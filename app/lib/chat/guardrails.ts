// Output and context guardrails. Model output is filtered as it streams: the system prompt's
// canary (and tell-tale prompt phrases) must never reach the shopper, HTML never passes, citations
// must point at products actually given, and a currency amount must be one of the given products'
// prices. Product text put into the prompt is neutralised so it cannot fake context entries.
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
}

const TAG = /<\/?[a-zA-Z][^<>]*>|<!--[\s\S]*?-->/g;
const CITATION = /\[(\d{1,3})\]/g;
/** Links and bare domains: product cards carry the only URLs a shopper needs; text never does. */
const LINK =
  /\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|io|co|ru|cn|xyz|info|biz|shop|store|app|example|ly|me)\b/i;
const AMOUNT = /[$£€]\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/g;

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
      // Never split an HTML tag, a citation or an amount: they are judged whole.
      const open = cut > 0 ? this.pending.lastIndexOf("<", cut - 1) : -1;
      if (open >= 0 && !this.pending.slice(open, cut).includes(">")) cut = open;
      const partial = /(\[\d{0,3}|[$£€]\s?[\d.,]*)$/.exec(this.pending.slice(0, cut));
      if (partial) cut = partial.index;
    }
    const ready = this.pending.slice(0, cut);
    const clean = sanitizeModelText(ready, this.options.productCount);
    if (hasUngroundedAmount(clean, this.options.prices)) {
      this.violation = "ungrounded_price";
      return "";
    }
    if (LINK.test(clean)) {
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
    const amount = Number(`${match[1].replace(/,/g, "")}.${match[2] ?? "0"}`);
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
