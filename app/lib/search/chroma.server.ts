// The one place a Chroma client is created. CHROMA_URL can be the local server started by
// `npm run chroma`, a Docker container, or Chroma Cloud (with tenant, database and API key).
import { ChromaClient } from "chromadb";
import type { Env } from "../config/env-schema";

export function createChromaClient(
  env: Pick<Env, "CHROMA_URL" | "CHROMA_TENANT" | "CHROMA_DATABASE" | "CHROMA_API_KEY">,
) {
  const url = new URL(env.CHROMA_URL);
  const ssl = url.protocol === "https:";
  return new ChromaClient({
    host: url.hostname,
    port: url.port ? Number(url.port) : ssl ? 443 : 80,
    ssl,
    tenant: env.CHROMA_TENANT,
    database: env.CHROMA_DATABASE,
    headers: env.CHROMA_API_KEY ? { "x-chroma-token": env.CHROMA_API_KEY } : undefined,
  });
}
