// `npm run bench:local-embeddings -- [--texts 256] [--query-every 100]`
// What an import's embedding does to the rest of the process (decision 117): the local model embeds
// `--texts` demo product documents (LocalEmbeddings.embedDocuments, as the sync worker calls it) while
// this thread asks for a shopper query's embedding every `--query-every` ms (embedQuery, as search and
// chat do). Prints the documents' time and the process's CPU time per text (all threads: on this shared
// machine the figure that does not depend on the load), the queries' answer times, and this thread's
// longest stall (the longest gap between ticks of a 10 ms interval). Results: docs/benchmarks.md.
import os from "node:os";
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
// A loop held by synchronous work may not turn at all until the work ends, so the stall is measured
// from the ticks' gaps, the last one up to the end included.
let lastTick = performance.now();
let longestStall = 0;
const ticker = setInterval(() => {
  longestStall = Math.max(longestStall, performance.now() - lastTick);
  lastTick = performance.now();
}, 10);
const cpuBefore = process.cpuUsage();
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
const cpu = process.cpuUsage(cpuBefore);
clearInterval(ticker);
longestStall = Math.max(longestStall, performance.now() - lastTick);

console.log(
  `${TEXTS} documents: ${(documentsMs / 1000).toFixed(1)} s (${ms(documentsMs / TEXTS)} per text), ` +
    `CPU ${ms((cpu.user + cpu.system) / 1000 / TEXTS)} per text; ` +
    `${queryTimes.length} queries meanwhile: p50 ${ms(percentile(queryTimes, 50))}, max ${ms(Math.max(...queryTimes))}; ` +
    `longest event-loop stall ${ms(longestStall)}; ` +
    `load average after ${os.loadavg()[0].toFixed(2)}`,
);
