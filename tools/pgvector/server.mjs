// Serves PGlite (Postgres in WASM) with the pgvector extension over the Postgres wire protocol, in
// this process; its parent (pgvector-process.ts) runs it as a child so the WASM engine never blocks
// the parent's event loop. Prints "listening" once connections are accepted. In-memory without a
// data directory. Usage: node --import exit-with-parent.mjs tools/pgvector/server.mjs <port> [dataDir]
// [sharedBuffers]
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const [port, dataDir, sharedBuffers] = process.argv.slice(2);
const db = await PGlite.create(dataDir || undefined, {
  extensions: { vector },
  // An HNSW walk reads pages all over the graph: pages outside shared_buffers come through the
  // file system on every read (decision 140). Postgres' default, 128MB, unless told otherwise.
  ...(sharedBuffers ? { postgresqlconf: [`shared_buffers = '${sharedBuffers}'`] } : {}),
});
await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
// PGlite is one backend: the socket server queues the connections' queries (transactions stay
// whole). 16 lets a pg.Pool open several connections; with 1 the second one is reset.
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: Number(port), maxConnections: 16 });
await server.start();
process.stdout.write("listening\n");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Closing the database flushes a data directory; then nothing keeps the process alive.
    void server
      .stop()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
