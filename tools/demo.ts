// `npm run demo`: builds the app if needed, then starts Chroma, the database and Aisle on this
// machine and prints where to look. Data lives in .data/demo (git-ignored). Ctrl-C stops it all.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { startStack } from "./stack";

const appPort = Number(process.env.PORT ?? 3000);
const chromaPort = Number(process.env.CHROMA_PORT ?? 8000);
const dataDir = path.resolve(process.env.AISLE_DEMO_DIR ?? ".data/demo");

if (!existsSync(path.join("build", "server", "index.js")) || process.env.AISLE_DEMO_REBUILD === "1") {
  console.log("Building the app (first run only)…");
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: "inherit" });
}

console.log("Starting Chroma, the database and Aisle…");
const stack = await startStack({ dataDir, appPort, chromaPort });
const health = await fetch(`${stack.app.url}/healthz`).then((response) => response.json());

console.log(`
Aisle is running.
  App:          ${stack.app.url}
  Health:       ${stack.app.url}/healthz  (${health.status})
  Chroma:       ${stack.chroma.url}
  Database:     ${stack.databaseUrl}
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stack.stop();
    process.exit(0);
  });
}
