// The relevance floor of an answer (decision 126): when nothing passes it, the answer says the shop
// does not carry what was asked for, instead of showing the vector ranking's nearest unrelated products.
import { askedNoun } from "../search/product-kind";
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
export function notCarried(result: FloorInput, aboutShownProduct = false): NotCarried | undefined {
  if (result.kind || aboutShownProduct || !result.query.text) return undefined;
  if (result.hits.some((hit) => hit.matchedBy.includes("lexical") || hit.matchedBy.includes("exact"))) return undefined;
  const asked = askedNoun(result.query.text);
  if (!asked) return undefined;
  const nearestKinds = [...new Set(result.hits.map((hit) => hit.product.productType).filter(Boolean))];
  return { asked, nearestKinds: nearestKinds.slice(0, NEAREST_KINDS) };
}

/** What the model is told when the floor would have fired: the verdict is its to make from the products. */
export function notCarriedNote(floor: NotCarried): string {
  return `No product matched "${floor.asked}" by name or type. If none of these products is what the shopper asked for, say plainly that the shop does not seem to carry it.`;
}
