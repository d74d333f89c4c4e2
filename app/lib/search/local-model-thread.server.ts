// The main thread's side of the local embedding model's worker thread (decision 117): requests go
// to local-embeddings-worker.mjs, which runs the model off the event loop and serves urgent requests
// (queries) before the chunks of document work.
import { Worker } from "node:worker_threads";
import { WorkerThreadClient } from "../worker-thread-client.server";

/**
 * A chunk of document work, one forward pass: a query waits for at most one. 8 texts cost the same per
 * text as 64 here; 2 cost ~10 % more, 1 ~25 % more (the pass's fixed cost). Past the first text, the
 * characters are bounded too: the model's time grows with the length (~27 ms for 200 characters).
 */
export const LOCAL_MODEL_CHUNK = { chunkTexts: 8, chunkChars: 1600 };

/**
 * The thread's V8 heap (decision 142). Its live objects are ~14 MB (the tokenizer's vocabulary; the
 * weights and tensors are WebAssembly memory, outside this limit), but every forward pass leaves
 * garbage, and with V8's defaults the old space grew by ~25 MB over 200 queries before a major GC:
 * memory that grew with the work served. Bounded, the thread collects early; a pass needs a few MB.
 */
export const LOCAL_MODEL_HEAP = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

// Next to this module in the sources; vite.config.ts copies it next to the server bundle.
const WORKER_SCRIPT = new URL("./local-embeddings-worker.mjs", import.meta.url);

/** Starts a thread running the local model (the thread loads it on its first request). */
export function spawnLocalModelWorker(): Worker {
  return new Worker(WORKER_SCRIPT, {
    name: "local-embeddings",
    workerData: LOCAL_MODEL_CHUNK,
    // Not the process's `--import` preloads (probes, loaders): the thread runs the model and nothing else.
    execArgv: [],
    resourceLimits: LOCAL_MODEL_HEAP,
  });
}

/** The model's thread: texts in, vectors out. */
export class LocalModelThread {
  private readonly thread: WorkerThreadClient;

  /** `spawn` is the seam for where the thread comes from (tests hold its handle). */
  constructor(spawn: () => Worker = spawnLocalModelWorker) {
    this.thread = new WorkerThreadClient({
      spawn,
      name: "local embeddings",
      replyErrorPrefix: "local embeddings model",
    });
  }

  /** Embeds `texts`; `urgent` work (a query) goes before document work already queued. */
  embed(texts: string[], urgent: boolean): Promise<number[][]> {
    return this.thread.call<number[][]>({ texts, urgent });
  }

  /** Loads the model (once per thread); a failed load is retried on the next call. */
  async ready(): Promise<void> {
    await this.embed([], true);
  }

  /** Stops the thread; calls still pending reject, and the next call starts a new thread. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
