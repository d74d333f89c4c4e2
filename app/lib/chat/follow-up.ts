// Follow-ups ("cheaper ones?", "in blue?", "any from Northpeak?") resolved from the last turns
// without an LLM: a message that refines rather than names what is wanted is searched together
// with the earlier question, and "cheaper"/"pricier" turn the last shown prices into a filter.
import type { SearchFilters } from "../search/query-parser";
import type { ChatTurn } from "./types";

export interface ResolvedQuery {
  query: string;
  filters: SearchFilters;
  isFollowUp: boolean;
}

const CHEAPER = /\b(cheaper|less\s+expensive|lower\s+price[ds]?|more\s+affordable|budget\s+options?)\b/i;
const PRICIER = /\b(more\s+expensive|pricier|higher\s+end|better\s+quality|premium\s+options?)\b/i;
const REFERS_BACK =
  /^(and|or|what about|how about|any|anything|something|in|with|without|only|but|same|similar|other|another|more|those|these|them|it|ones?)\b|\b(ones?|those|these|them|it|that one|instead|also|too|else|other colou?rs?|other sizes?)\b/i;

const FILLERS =
  /\b(what about|how about|do you have|have you got|show me|any|anything|something|ones?|those|these|them|it|that one|instead|also|too|else|please|same|similar)\b/gi;

function stripFillers(text: string) {
  return text.replace(FILLERS, " ").replace(/[?!]+/g, " ").replace(/\s+/g, " ").trim();
}

function wordCount(text: string) {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** Prices of the last answer's products, top recommendation first. */
function lastShownPrices(history: ChatTurn[]): number[] {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === "assistant" && turn.products?.length) {
      return turn.products.map((p) => Number(p.price)).filter((price) => Number.isFinite(price));
    }
  }
  return [];
}

export function isFollowUp(message: string, history: ChatTurn[]): boolean {
  if (!history.some((turn) => turn.role === "user")) return false;
  const text = message.trim().replace(/[?!.]+$/, "");
  return (
    CHEAPER.test(text) || PRICIER.test(text) || (wordCount(text) <= 6 && REFERS_BACK.test(text)) || wordCount(text) <= 2
  );
}

export function resolveFollowUp(message: string, history: ChatTurn[]): ResolvedQuery {
  if (!isFollowUp(message, history)) return { query: message, filters: {}, isFollowUp: false };
  // The earlier question this refines: walk back over follow-ups to the last self-contained one.
  const parts: string[] = [];
  for (let i = history.length - 1; i >= 0 && parts.length < 3; i--) {
    if (history[i].role !== "user") continue;
    parts.unshift(stripFillers(history[i].content));
    if (!isFollowUp(history[i].content, history.slice(0, i))) break;
  }
  const refinement = stripFillers(message.replace(CHEAPER, " ").replace(PRICIER, " "));
  const filters: SearchFilters = {};
  const prices = lastShownPrices(history);
  if (CHEAPER.test(message)) {
    // Cheaper than the top recommendation (the first product shown).
    if (prices.length) filters.maxPrice = Math.max(0, prices[0] - 0.01);
    filters.sort = "price_asc";
  } else if (PRICIER.test(message)) {
    if (prices.length) filters.minPrice = prices[0] + 0.01;
    filters.sort = "price_desc";
  }
  return { query: `${parts.join(" ")} ${refinement}`.replace(/\s+/g, " ").trim(), filters, isFollowUp: true };
}
