// /healthz: is every part Aisle depends on reachable? Each probe is bounded by a timeout so a
// hung dependency shows as "down" instead of hanging the health check.
import type { PrismaClient } from "@prisma/client";
import type { ChromaClient } from "chromadb";
import type { EmbeddingsDescriptor } from "./search/embeddings.server";

export type ComponentState = "ok" | "down" | "disabled";

export interface ComponentHealth {
  status: ComponentState;
  detail: string;
  latencyMs?: number;
}

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  checkedAt: string;
  components: {
    database: ComponentHealth;
    chroma: ComponentHealth;
    embedder: ComponentHealth;
    llm: ComponentHealth;
  };
}

export interface HealthDependencies {
  db: PrismaClient;
  databaseFlavour: string;
  chroma: ChromaClient;
  chromaUrl: string;
  embedder: EmbeddingsDescriptor & { probe: () => Promise<void> };
  llm: { provider: "openai" | "none"; model: string; probe: () => Promise<void> };
  timeoutMs?: number;
}

async function probe(run: () => Promise<string>, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const detail = await Promise.race([run(), timeout]);
    return { status: "ok", detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: "down",
      detail: error instanceof Error ? error.message : String(error),
      latencyMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(deps: HealthDependencies): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 3000;
  const [database, chroma, embedder, llm] = await Promise.all([
    probe(async () => {
      await deps.db.$queryRawUnsafe("SELECT 1");
      return deps.databaseFlavour;
    }, timeoutMs),
    probe(async () => {
      await deps.chroma.heartbeat();
      return deps.chromaUrl;
    }, timeoutMs),
    probe(async () => {
      await deps.embedder.probe();
      const dims = deps.embedder.dimensions ? `, ${deps.embedder.dimensions} dimensions` : "";
      return `${deps.embedder.provider}: ${deps.embedder.model}${dims}`;
    }, timeoutMs),
    deps.llm.provider === "none"
      ? Promise.resolve<ComponentHealth>({
          status: "disabled",
          detail: "no LLM configured: answers are built from retrieval alone",
        })
      : probe(async () => {
          await deps.llm.probe();
          return `openai-compatible: ${deps.llm.model}`;
        }, timeoutMs),
  ]);
  const core = [database, chroma, embedder];
  const status = core.some((c) => c.status === "down") ? "down" : llm.status === "down" ? "degraded" : "ok";
  return { status, checkedAt: new Date().toISOString(), components: { database, chroma, embedder, llm } };
}
