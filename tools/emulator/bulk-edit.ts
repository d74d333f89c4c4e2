// A merchant's bulk edit (Shopify admin's "edit products" on a search): its input, validated by the
// control API, and how it changes the catalog.
import { z } from "zod";
import { selectProducts } from "./admin/resolvers";
import type { ShopStore } from "./store/shop-store";

export const bulkEditInput = z.object({
  /** Shopify search syntax selecting the products, e.g. "vendor:Northpeak". */
  query: z.string().optional(),
  /** Multiply every variant price by (1 + percent/100). */
  pricePercent: z.number().gt(-100).optional(),
  addTags: z.array(z.string()).optional(),
  removeTags: z.array(z.string()).optional(),
  status: z.enum(["active", "draft", "archived"]).optional(),
});

export type BulkEdit = z.infer<typeof bulkEditInput>;

/** Changes every product matching `edit.query`, one products/update each; every change is computed first. */
export function applyBulkEdit(store: ShopStore, edit: BulkEdit): number {
  const products = selectProducts(store, edit.query);
  const changes = products.map((product) => {
    const input = store.toInput(product);
    const tags = new Set([...(input.tags ?? []), ...(edit.addTags ?? [])]);
    for (const tag of edit.removeTags ?? []) tags.delete(tag);
    const factor = 1 + (edit.pricePercent ?? 0) / 100;
    return {
      id: product.id,
      change: {
        tags: [...tags],
        status: edit.status ?? input.status,
        variants: input.variants!.map((variant) => ({
          ...variant,
          price: (Number(variant.price) * factor).toFixed(2),
        })),
      },
    };
  });
  for (const { id, change } of changes) store.updateProduct(id, change);
  return changes.length;
}
