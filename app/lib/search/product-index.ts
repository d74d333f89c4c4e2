// The contract between sync (which decides *what* changed) and search (which owns *how* products
// are stored for retrieval: catalog rows in the database, vectors per shop and embedding model).
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

/** A write the index refuses before changing anything (invalid documents, unknown products). */
export class ProductIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProductIndexError";
  }
}
