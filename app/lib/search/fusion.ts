// Pure ranking pieces: weighted reciprocal rank fusion of lexical and vector lists, and the
// product card a hit renders as (one per product, the variant that best matches the query).
import { parseVariantsJson, type ProductMetadata, type VariantSummary } from "../catalog/product-document";
import type { SearchFilters } from "./query-parser";

export interface RankedList {
  ids: string[];
  weight: number;
}

/** RRF: score(d) = Σ weight / (k + rank). k = 60 as in Cormack et al.; ranks start at 1. */
export function reciprocalRankFusion(lists: RankedList[], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.ids.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + index + 1)));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/**
 * RRF with a first tier: the products in `first` (those whose name holds every word of the query)
 * rank before all others, each tier in fused order. A product named by every word the shopper typed
 * is not outranked by one another retriever merely finds similar; among such products, and below
 * them, the fused order decides (decision 130).
 */
export function tieredFusion(lists: RankedList[], first: ReadonlySet<string>, k = 60): { id: string; score: number }[] {
  const fused = reciprocalRankFusion(lists, k);
  return [...fused.filter((r) => first.has(r.id)), ...fused.filter((r) => !first.has(r.id))];
}

export interface ProductCard {
  id: string;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  url: string;
  imageUrl: string;
  /** Price of the chosen variant (decimal string in the shop's currency). */
  price: string;
  compareAtPrice: string | null;
  available: boolean;
  minPrice: number;
  maxPrice: number;
  /** The variant that best matches the query (SKU, options, price, stock); null without variants. */
  variant: VariantSummary | null;
  /** Every variant, as indexed: what a card offers for add-to-cart and what prices are real. */
  variants: VariantSummary[];
  /** Option values as indexed ("Name:Value|…"). */
  optionValues: string;
  /** The indexed description (the document text after its title line). */
  description: string;
}

/** Picks the variant a shopper most likely means: exact SKU, then options, price range and stock. */
export function chooseVariant(
  variants: VariantSummary[],
  filters: SearchFilters,
  exactSku?: string,
): VariantSummary | null {
  if (!variants.length) return null;
  if (exactSku) {
    const bySku = variants.find((v) => v.sku?.toLowerCase() === exactSku.toLowerCase());
    if (bySku) return bySku;
  }
  const score = (variant: VariantSummary) => {
    let total = 0;
    for (const option of filters.options ?? []) if (variant.options[option.name] === option.value) total += 4;
    const price = Number(variant.price);
    if (filters.maxPrice !== undefined && price <= filters.maxPrice) total += 2;
    if (filters.minPrice !== undefined && price >= filters.minPrice) total += 2;
    if (variant.available) total += 1;
    return total;
  };
  let best = variants[0];
  let bestScore = score(best);
  for (const variant of variants.slice(1)) {
    const value = score(variant);
    const cheaper = filters.sort === "price_asc" && Number(variant.price) < Number(best.price);
    if (value > bestScore || (value === bestScore && cheaper)) {
      best = variant;
      bestScore = value;
    }
  }
  return best;
}

/**
 * A search hit as callers use it: everything the answer engine and the storefront need, so nobody
 * looks the product up again.
 */
export function productCard(
  { metadata, text }: { metadata: ProductMetadata; text: string },
  filters: SearchFilters,
  exactSku?: string,
): ProductCard {
  const variants = parseVariantsJson(metadata.variantsJson);
  const variant = chooseVariant(variants, filters, exactSku);
  return {
    id: metadata.productId,
    handle: metadata.handle,
    title: metadata.title,
    vendor: metadata.vendor,
    productType: metadata.productType,
    url: metadata.onlineStoreUrl,
    imageUrl: variant?.imageUrl || metadata.imageUrl,
    price: variant?.price ?? String(metadata.minPrice),
    compareAtPrice: variant?.compareAtPrice ?? null,
    available: variant ? variant.available : metadata.available,
    minPrice: metadata.minPrice,
    maxPrice: metadata.maxPrice,
    variant,
    variants,
    optionValues: metadata.optionValues,
    description: text.split("\n").slice(1).join(" "),
  };
}
