// `npx tsx tools/openai-compatible/start.ts [--port 8787] [--api-key KEY]`: serves the local
// OpenAI-compatible API until Ctrl-C (point LLM_BASE_URL / EMBEDDINGS_BASE_URL at the printed URL).
import { parseArgs } from "node:util";
import { startOpenAiCompatibleServer } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    "api-key": { type: "string" },
    "chunk-delay-ms": { type: "string", default: "15" },
  },
});
const server = await startOpenAiCompatibleServer({
  port: Number(values.port),
  host: values.host,
  apiKey: values["api-key"],
  chunkDelayMs: Number(values["chunk-delay-ms"]),
});
console.log(`OpenAI-compatible API at ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
