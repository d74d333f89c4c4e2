// The `embeddings` a LangChain vector store is constructed with. Our stores are always handed
// vectors (addVectors, similaritySearchVectorWithScore): the app embeds once, with the model the
// shop's collection was built for. A store that embedded on its own could silently mix embedding
// spaces, so any attempt to embed through it is a programming error and fails loudly.
import type { EmbeddingsInterface } from "@langchain/core/embeddings";

export class VectorOnlyEmbeddings implements EmbeddingsInterface {
  constructor(private readonly storeKind: string) {}

  embedQuery(): Promise<number[]> {
    return Promise.reject(this.refusal());
  }

  embedDocuments(): Promise<number[][]> {
    return Promise.reject(this.refusal());
  }

  private refusal() {
    return new Error(`the ${this.storeKind} vector store only takes vectors: embed with the app's embeddings first`);
  }
}
