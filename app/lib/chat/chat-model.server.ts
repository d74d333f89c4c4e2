// The one place the chat models are created from configuration: LangChain's ChatOpenAI against
// OpenAI or any OpenAI-compatible base URL (Ollama, vLLM, the local test server); null = none.
// The answer streams; the conversation rewrite (structured output) uses its own non-streaming
// client with the same settings: a structured reply read through a streaming client never
// resolves against some OpenAI-compatible servers (decision 131).
import { ChatOpenAI } from "@langchain/openai";
import { resolveLlmProvider, type Env } from "../config/env-schema";

type ModelEnv = Pick<
  Env,
  | "LLM_PROVIDER"
  | "LLM_MODEL"
  | "LLM_BASE_URL"
  | "LLM_API_KEY"
  | "OPENAI_API_KEY"
  | "LLM_TEMPERATURE"
  | "LLM_TIMEOUT_MS"
  | "LLM_MAX_TOKENS"
>;

export function createChatModel(env: ModelEnv): ChatOpenAI | null {
  return createModel(env, true);
}

/** The conversation rewrite's model (app/lib/chat/conversation-rewrite.ts): same settings, not streaming. */
export function createRewriteModel(env: ModelEnv): ChatOpenAI | null {
  return createModel(env, false);
}

function createModel(env: ModelEnv, streaming: boolean): ChatOpenAI | null {
  if (resolveLlmProvider(env as Env) === "none") return null;
  return new ChatOpenAI({
    model: env.LLM_MODEL,
    temperature: env.LLM_TEMPERATURE,
    maxTokens: env.LLM_MAX_TOKENS,
    timeout: env.LLM_TIMEOUT_MS,
    // One quick retry (e.g. a 429 or a dropped connection); the answer deadline bounds the total.
    maxRetries: 1,
    streaming,
    streamUsage: streaming,
    apiKey: env.LLM_API_KEY ?? env.OPENAI_API_KEY ?? "not-needed",
    configuration: env.LLM_BASE_URL ? { baseURL: env.LLM_BASE_URL } : undefined,
  });
}
