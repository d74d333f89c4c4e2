// The relevance floor of an answer (decision 126): when nothing passes it, the answer says the shop
// does not carry what was asked for, instead of showing the vector ranking's nearest unrelated products.
import { askedNoun } from "../search/product-kind";
import { normalizePhrase } from "../search/query-parser";
import type { SearchResult } from "../search/product-search.server";
import type { NotCarried } from "./types";

/** Kinds offered when the shop does not carry what was asked for. */
const NEAREST_KINDS = 3;

type FloorInput = Pick<SearchResult, "kind" | "query" | "hits">;

/**
 * The relevance floor: the shop carries nothing like what was asked for when the words name no kind
 * of its vocabulary and no product matches them as text (code or full-text) — only the vector
 * ranking, which always returns its nearest products, found anything. Then the nearest kinds are
 * offered instead of unrelated products (decision 126).
 */
export function notCarried(
  result: FloorInput,
  aboutShownProduct = false,
  knownWord?: (word: string) => boolean,
): NotCarried | undefined {
  if (result.kind || aboutShownProduct || !result.query.text) return undefined;
  const asked = askedNoun(result.query.text);
  if (!asked) return undefined;
  // Words elsewhere in the question may match product text ("silk pyjamas", "skis for the weekend"):
  // the thing asked for itself must be a word of the shop's titles, types, brands or options.
  const matched = result.hits.some((hit) => hit.matchedBy.includes("lexical") || hit.matchedBy.includes("exact"));
  if (matched && !unknownThing(result.query.text, asked, knownWord)) return undefined;
  const nearestKinds = [...new Set(result.hits.map((hit) => hit.product.productType).filter(Boolean))];
  return { asked, nearestKinds: nearestKinds.slice(0, NEAREST_KINDS) };
}

/** Comparatives and superlatives ("lighter", "warmest") describe, they do not name a thing. */
const DESCRIBES = /(er|est)$/;

/**
 * Whether `asked` (askedNoun of `text`) names a thing no title, type, brand or option of the shop
 * uses. Only a noun the question is about counts: after a placeholder ("something warm") the words
 * describe, so nothing is judged.
 */
export function unknownThing(text: string, asked: string, knownWord?: (word: string) => boolean): boolean {
  if (!knownWord || DESCRIBES.test(asked) || PLACEHOLDER.test(text)) return false;
  return !knownWord(normalizePhrase(asked));
}

const PLACEHOLDER = /\b(something|anything|stuff|gear|items?|products?|ones?)\b/i;

/** What the model is told when the floor would have fired: the verdict is its to make from the products. */
export function notCarriedNote(floor: NotCarried): string {
  return `No product matched "${floor.asked}" by name or type. If none of these products is what the shopper asked for, say plainly that the shop does not seem to carry it.`;
}
