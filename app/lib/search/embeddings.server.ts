// Chooses the embeddings provider from configuration. Everything downstream sees LangChain's
// `Embeddings` plus a descriptor (provider, model, dimensions) that is recorded per collection.
import type { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { resolveEmbeddingsProvider, type Env } from "../config/env-schema";
import { LOCAL_EMBEDDINGS_DIMENSIONS, LOCAL_EMBEDDINGS_MODEL, LocalEmbeddings } from "./local-embeddings.server";

export interface EmbeddingsDescriptor {
  provider: "local" | "openai";
  model: string;
  /** Known up front for the local model; for remote models it is measured on first use. */
  dimensions: number | undefined;
  baseUrl: string | undefined;
}

export interface EmbeddingsProvider {
  descriptor: EmbeddingsDescriptor;
  embeddings: Embeddings;
}

const OPENAI_DEFAULT_MODEL = "text-embedding-3-small";

export function createEmbeddings(env: Env): EmbeddingsProvider {
  const provider = resolveEmbeddingsProvider(env);
  if (provider === "local") {
    return {
      descriptor: {
        provider,
        model: LOCAL_EMBEDDINGS_MODEL,
        dimensions: LOCAL_EMBEDDINGS_DIMENSIONS,
        baseUrl: undefined,
      },
      embeddings: new LocalEmbeddings({ maxRetries: 2 }),
    };
  }
  const model = env.EMBEDDINGS_MODEL ?? OPENAI_DEFAULT_MODEL;
  return {
    descriptor: {
      provider,
      model,
      dimensions: model === OPENAI_DEFAULT_MODEL ? 1536 : undefined,
      baseUrl: env.EMBEDDINGS_BASE_URL,
    },
    embeddings: new OpenAIEmbeddings({
      model,
      apiKey: env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY ?? "not-needed",
      batchSize: 256,
      maxRetries: 6, // LangChain's caller backs off exponentially, which covers 429s
      configuration: env.EMBEDDINGS_BASE_URL ? { baseURL: env.EMBEDDINGS_BASE_URL } : undefined,
    }),
  };
}
