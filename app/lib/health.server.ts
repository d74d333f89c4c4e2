// /healthz: is every part Aisle depends on reachable? Each probe is bounded by a timeout so a
// hung dependency shows as "down" instead of hanging the health check. The public answer is the
// status alone; the report (components, URLs, models, error text) needs the health token
// (docs/decisions/094-bounded-input-and-health.md).
import { createHash, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
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
    vectorStore: ComponentHealth;
    embedder: ComponentHealth;
    llm: ComponentHealth;
    /** Customers and chat history (Prisma or Appwrite), with the chat history waiting for it (decision 121). */
    customerStore: ComponentHealth;
  };
}

export interface HealthDependencies {
  db: PrismaClient;
  databaseFlavour: string;
  /** Pings the vector store (Chroma or pgvector) and says which one it is. */
  vectorStore: { ping(): Promise<string> };
  embedder: EmbeddingsDescriptor & { probe: () => Promise<void> };
  llm: { provider: "openai" | "none"; model: string; probe: () => Promise<void> };
  /** The customer store's line, given the probe timeout (services.server.ts composes it). */
  customerStore: (timeoutMs: number) => Promise<ComponentHealth>;
  timeoutMs?: number;
}

export async function probe(run: () => Promise<string>, timeoutMs: number): Promise<ComponentHealth> {
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
  const [database, vectorStore, embedder, llm, customerStore] = await Promise.all([
    probe(async () => {
      await deps.db.$queryRawUnsafe("SELECT 1");
      return deps.databaseFlavour;
    }, timeoutMs),
    probe(() => deps.vectorStore.ping(), timeoutMs),
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
    deps.customerStore(timeoutMs),
  ]);
  const core = [database, vectorStore, embedder];
  // Without the LLM answers come from retrieval; without Appwrite the chat answers and its history waits.
  const optional = [llm, customerStore];
  const status = core.some((c) => c.status === "down")
    ? "down"
    : optional.some((c) => c.status === "down")
      ? "degraded"
      : "ok";
  return {
    status,
    checkedAt: new Date().toISOString(),
    components: { database, vectorStore, embedder, llm, customerStore },
  };
}

/**
 * A probe whose result (success or failure) is shared for `ttlMs`: concurrent and repeated health
 * checks within the window wait for the same call, so hammering /healthz makes at most one
 * outbound call per provider per window (each is a request with the app's keys).
 */
export function cachedProbe(run: () => Promise<void>, ttlMs: number, now = () => Date.now()): () => Promise<void> {
  let cached: { at: number; result: Promise<void> } | undefined;
  return () => {
    const at = now();
    if (!cached || at - cached.at >= ttlMs) {
      const result = run();
      // Settled here too, so a failure nobody awaits any more is not an unhandled rejection.
      result.catch(() => undefined);
      cached = { at, result };
    }
    return cached.result;
  };
}

/** Whether the request carries the health token; never true when no token is configured. */
export function mayReadHealthDetails(token: string | undefined, request: Request): boolean {
  if (!token) return false;
  const presented = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!presented) return false;
  // Digests have one length, so the comparison takes the same time whatever was presented.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** What anyone may see: the overall status only, no component names, URLs or error text. */
export function publicHealth(report: HealthReport): { status: HealthReport["status"] } {
  return { status: report.status };
}
