// `npm run pgvector`: a local pgvector server (PGlite) for development, in memory unless
// PGVECTOR_DATA_DIR names a directory; PGVECTOR_SHARED_BUFFERS (e.g. 512MB) sizes its buffer cache
// for a large catalog's graph. Stops cleanly on Ctrl-C. Production uses any Postgres with
// pgvector through PGVECTOR_URL.
import path from "node:path";
import { startPgvector } from "./pgvector-process";
import { stopOnSignals } from "../lib/process-lifecycle";

// Before the start: a Ctrl-C while PGlite comes up stops it too.
stopOnSignals();
const port = Number(process.env.PGVECTOR_PORT ?? 5433);
const dataDir = process.env.PGVECTOR_DATA_DIR ? path.resolve(process.env.PGVECTOR_DATA_DIR) : undefined;
const pgvector = await startPgvector({
  dataDir,
  port,
  sharedBuffers: process.env.PGVECTOR_SHARED_BUFFERS || undefined,
});
console.log(
  `pgvector (PGlite) is up at ${pgvector.url} (${dataDir ? `data in ${dataDir}` : "in memory"}). Ctrl-C stops it.`,
);
