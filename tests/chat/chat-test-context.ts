// An indexed shop + the local OpenAI-compatible server + the answer engine wired like the app
// (SQLite catalog + real Chroma, local embedder, LangChain ChatOpenAI over HTTP).
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import { AnswerEngine, type AnswerEngineOptions } from "../../app/lib/chat/answer-engine.server";
import type { AnswerRequest } from "../../app/lib/chat/types";
import { createChatModel, createRewriteModel } from "../../app/lib/chat/chat-model.server";
import { ProductSearch } from "../../app/lib/search/product-search.server";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServerOptions } from "../../tools/openai-compatible/server";
import { createSearchTestContext, testEnv } from "../search/search-test-context";

export async function createChatTestContext(
  catalog: Product[],
  serverOptions: OpenAiCompatibleServerOptions = {},
  engineOptions: Partial<AnswerEngineOptions> = {},
) {
  const context = await createSearchTestContext();
  const shop = context.shop("chat");
  await context.index.upsert(
    shop,
    catalog.map((p) => buildProductDocument(p)),
  );
  const llm = await startOpenAiCompatibleServer({ apiKey: "sk-chat-test", ...serverOptions });
  const env = testEnv({
    LLM_PROVIDER: "openai",
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: "sk-chat-test",
    LLM_TIMEOUT_MS: "3000",
  });
  const search = new ProductSearch({ index: context.index });
  const engine = new AnswerEngine({
    search,
    chatModel: createChatModel(env),
    timeoutMs: env.LLM_TIMEOUT_MS,
    ...engineOptions,
  });
  // The app's wiring with the conversation rewrite step (decision 131): a short rewrite deadline.
  const rewriteEngine = new AnswerEngine({
    search,
    chatModel: createChatModel(env),
    rewriteModel: createRewriteModel(env),
    rewriteTimeoutMs: 500,
    timeoutMs: env.LLM_TIMEOUT_MS,
    ...engineOptions,
  });
  // The same engine with the model switched off for the call (what a shop past its token budget gets).
  const retrievalOnly = {
    answer: (request: AnswerRequest) => engine.answer({ ...request, useModel: false }),
  };
  const close = async () => {
    await llm.close();
    await context.close();
  };
  return { ...context, shop, llm, search, engine, rewriteEngine, retrievalOnly, close };
}

/** The canary of the n-th (default: last) chat request the model server received. */
export function canaryOf(body: unknown): string {
  const match = /AISLE-CANARY-[0-9a-f]{16}/.exec(JSON.stringify(body));
  if (!match) throw new Error("no canary in the prompt");
  return match[0];
}
