// Runs a Chroma server in this process (the call blocks while it serves). Prefers the
// npm-shipped server that runs on Debian 12's glibc (package alias chroma-server-linux-x64,
// Chroma 1.0.0); elsewhere falls back to the chromadb package's own CLI bindings.
// Usage: node tools/chroma/server.cjs <dataDir> <port>
const path = require("node:path");
const { Worker } = require("node:worker_threads");

const [dataDir, port] = process.argv.slice(2);
let bindings;
try {
  bindings = require("chroma-server-linux-x64");
} catch {
  const { createRequire } = require("node:module");
  const fromChroma = createRequire(require.resolve("chromadb"));
  const name = `chromadb-js-bindings-${process.platform}-${process.arch}${process.platform === "linux" ? "-gnu" : process.platform === "win32" ? "-msvc" : ""}`;
  bindings = fromChroma(name);
}
// The blocking call below stops this thread's event loop, so the watch that ends the server when
// the tool that started it dies runs in a worker thread.
new Worker(path.join(__dirname, "..", "lib", "exit-with-parent.mjs"));
bindings.cli(["chroma", "run", "--path", dataDir, "--port", String(port), "--host", "127.0.0.1"]);
