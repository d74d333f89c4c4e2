// Runs a Chroma server in this process (the call blocks while it serves). Prefers the
// npm-shipped server that runs on Debian 12's glibc (package alias chroma-server-linux-x64,
// Chroma 1.0.0); elsewhere falls back to the chromadb package's own CLI bindings.
// Usage: node tools/chroma/server.cjs <dataDir> <port>
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
bindings.cli(["chroma", "run", "--path", dataDir, "--port", String(port), "--host", "127.0.0.1"]);
