// `npm run bench:local-embeddings -- [--texts 256] [--query-every 100]`
// What an import's embedding does to the rest of the process (decision 117): the local model embeds
// `--texts` demo product documents (LocalEmbeddings.embedDocuments, as the sync worker calls it) while
// this thread asks for a shopper query's embedding every `--query-every` ms (embedQuery, as search and
// chat do). Prints the documents' time, the queries' answer times and this thread's event-loop delay
// over the run. Results: docs/benchmarks.md.
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { LocalEmbeddings } from "../../app/lib/search/local-embeddings.server";
import { BENCH_QUERIES, demoCatalogProducts, machine, ms, numberArg, percentile, sleep } from "./bench-stack";

const TEXTS = numberArg("texts", 256);
const QUERY_EVERY_MS = numberArg("query-every", 100);

const texts = demoCatalogProducts(TEXTS).map((product) => buildProductDocument(product).text);
const embeddings = new LocalEmbeddings();
await LocalEmbeddings.ready();
await embeddings.embedDocuments(texts.slice(0, 8)); // the first forward pass compiles kernels

console.log(
  `local embeddings bench: ${machine()}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
let done = false;
const documents = embeddings.embedDocuments(texts).then(() => {
  done = true;
  return performance.now() - started;
});
const queryTimes: number[] = [];
for (let n = 0; !done; n += 1) {
  const asked = performance.now();
  await embeddings.embedQuery(BENCH_QUERIES[n % BENCH_QUERIES.length]);
  queryTimes.push(performance.now() - asked);
  await sleep(QUERY_EVERY_MS - (performance.now() - asked));
}
const documentsMs = await documents;
delay.disable();

console.log(
  `${TEXTS} documents: ${(documentsMs / 1000).toFixed(1)} s (${ms(documentsMs / TEXTS)} per text); ` +
    `${queryTimes.length} queries meanwhile: p50 ${ms(percentile(queryTimes, 50))}, max ${ms(Math.max(...queryTimes))}; ` +
    `event loop delay p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)}; ` +
    `load average after ${os.loadavg()[0].toFixed(2)}`,
);
