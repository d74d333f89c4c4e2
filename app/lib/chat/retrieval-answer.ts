// The answer without a language model (none configured, or it failed, timed out or tripped a
// guardrail): templated from the retrieved products only, so it is grounded by construction.
import type { RelaxableFilter } from "../search/query-parser";
import { formatPrice } from "./prompt";
import type { ProductReference } from "./types";

const RELAXED_WORDS: Record<RelaxableFilter, string> = {
  options: "option",
  inStock: "stock",
  price: "price",
  vendors: "brand",
  productTypes: "product type",
};

export function describeRelaxed(relaxed: RelaxableFilter[]): string | undefined {
  if (!relaxed.length) return undefined;
  const words = relaxed.map((name) => RELAXED_WORDS[name]);
  return `Nothing matched every ${words.join(" and ")} condition, so these are the closest matches.`;
}

export function retrievalAnswer(products: ProductReference[], relaxed: RelaxableFilter[], currency?: string): string {
  if (!products.length) {
    return "I couldn't find any products matching that. Try other words, a broader description or a different price range.";
  }
  const shown = products.slice(0, 5);
  const lines = shown.map((product) => {
    const variant = product.variant && product.variant.title !== "Default Title" ? ` (${product.variant.title})` : "";
    const stock = product.available ? "in stock" : "currently out of stock";
    return `${product.title}${variant} [${product.ref}]: ${formatPrice(product.price, currency)}, ${stock}.`;
  });
  const intro =
    shown.length === 1 ? "Here is a product that matches:" : `Here are ${shown.length} products that match:`;
  const note = describeRelaxed(relaxed);
  return [note ?? intro, ...lines].join("\n");
}
