// A persistent embedding cache for the evaluation tools only: vectors are kept per model in
// .cache/eval-embeddings (gitignored), keyed by a hash of the text, so a repeated `npm run eval`
// pays only for the searches, not for embedding WANDS' 6,482 product texts again. JSON numbers
// round-trip doubles exactly, so a cached run ranks exactly as an uncached one.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import type { EmbeddingsProvider } from "../../app/lib/search/embeddings.server";

export const EVAL_EMBEDDINGS_CACHE_DIR = path.resolve(".cache/eval-embeddings");

const textKey = (text: string) => createHash("sha256").update(text).digest("hex");

class CachedEmbeddings extends Embeddings {
  private readonly vectors = new Map<string, number[]>();

  constructor(
    private readonly inner: Embeddings,
    private readonly file: string,
  ) {
    super({});
    if (existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (!line) continue;
        const { key, vector } = JSON.parse(line) as { key: string; vector: number[] };
        this.vectors.set(key, vector);
      }
    }
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const keys = texts.map(textKey);
    const missing = new Map<string, string>();
    keys.forEach((key, i) => {
      if (!this.vectors.has(key)) missing.set(key, texts[i]);
    });
    if (missing.size) {
      const fresh = await this.inner.embedDocuments([...missing.values()]);
      const lines = [...missing.keys()].map((key, j) => {
        this.vectors.set(key, fresh[j]);
        return JSON.stringify({ key, vector: fresh[j] });
      });
      appendFileSync(this.file, `${lines.join("\n")}\n`);
    }
    return keys.map((key) => this.vectors.get(key)!);
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector;
  }
}

/** The provider with its embeddings behind the on-disk cache of its model (same descriptor). */
export function withEmbeddingCache(provider: EmbeddingsProvider): EmbeddingsProvider {
  const { provider: kind, model, baseUrl } = provider.descriptor;
  mkdirSync(EVAL_EMBEDDINGS_CACHE_DIR, { recursive: true });
  const name = createHash("sha256")
    .update(`${kind}|${model}|${baseUrl ?? ""}`)
    .digest("hex")
    .slice(0, 16);
  const file = path.join(EVAL_EMBEDDINGS_CACHE_DIR, `${kind}-${model.replace(/[^a-z0-9.-]+/gi, "_")}-${name}.jsonl`);
  return { ...provider, embeddings: new CachedEmbeddings(provider.embeddings, file) };
}
