// The contract between sync (which decides *what* changed) and search (which owns *how* products
// are stored for retrieval: Chroma collections per shop and embedding model, lexical index).
import type { ProductDocument } from "../catalog/product-document";

export interface ProductIndex {
  /** Embeds each document's text and writes vector + metadata (insert or replace). */
  upsert(shop: string, documents: ProductDocument[]): Promise<{ embedded: number }>;
  /** Rewrites metadata and lexical keywords only: no embedding call. Documents must already be indexed. */
  updateMetadata(shop: string, documents: ProductDocument[]): Promise<void>;
  /** Removes products (deleted, drafted, unpublished). Unknown ids are ignored. */
  remove(shop: string, productIds: string[]): Promise<void>;
  /** Deletes everything the shop has in the index (shop/redact). */
  dropShop(shop: string): Promise<void>;
  /** Product ids currently in the shop's active index (reconciliation, health). */
  listProductIds(shop: string): Promise<string[]>;
  count(shop: string): Promise<number>;
}
