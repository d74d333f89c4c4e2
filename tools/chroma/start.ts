// `npm run chroma`: a local Chroma server for development, data in the git-ignored .data/chroma.
// Stops cleanly on Ctrl-C. Production uses any Chroma through CHROMA_URL (Docker, Cloud).
import path from "node:path";
import { startChroma } from "./chroma-process";
import { stopOnSignals } from "../lib/process-lifecycle";

// Before the start: a Ctrl-C while Chroma comes up stops it too.
stopOnSignals();
const port = Number(process.env.CHROMA_PORT ?? 8000);
const dataDir = path.resolve(process.env.CHROMA_DATA_DIR ?? ".data/chroma");
const chroma = await startChroma({ dataDir, port });
console.log(`Chroma is up at ${chroma.url} (data in ${dataDir}). Ctrl-C stops it.`);
