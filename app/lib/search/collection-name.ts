// Chroma collection names for a shop's product index. Chroma allows 3–512 chars of
// [a-zA-Z0-9._-] with alphanumeric ends; shop domains and model names are hashed so any
// domain or model id fits, and the shop hash is a stable prefix (dropShop finds strays by it).
import { createHash } from "node:crypto";
import type { EmbeddingsDescriptor } from "./embeddings.server";

const hash = (value: string, length: number) => createHash("sha256").update(value).digest("hex").slice(0, length);

/** Identifies the embedding space: vectors from different spaces must never share a collection. */
export function embeddingSpaceKey(descriptor: Pick<EmbeddingsDescriptor, "provider" | "model">): string {
  return `${descriptor.provider}:${descriptor.model}`;
}

export function shopCollectionPrefix(shop: string): string {
  return `aisle-${hash(shop.trim().toLowerCase(), 16)}-`;
}

export function productCollectionName(
  shop: string,
  descriptor: Pick<EmbeddingsDescriptor, "provider" | "model">,
  generation: number,
): string {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`invalid index generation: ${generation}`);
  return `${shopCollectionPrefix(shop)}${hash(embeddingSpaceKey(descriptor), 8)}-g${generation}`;
}

const CHROMA_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$/;

export function isValidChromaCollectionName(name: string): boolean {
  return CHROMA_NAME.test(name);
}
