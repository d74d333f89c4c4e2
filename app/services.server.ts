// The app process's long-lived clients, each created once here from validated configuration.
import prisma from "./db.server";
import { env } from "./env.server";
import { resolveLlmProvider } from "./lib/config/env-schema";
import { createCustomerStore } from "./lib/customers/create-store.server";
import { createCustomerService } from "./lib/customers/service.server";
import { databaseFlavour } from "./lib/db/database-url";
import type { HealthDependencies } from "./lib/health.server";
import { probeOpenAiCompatible } from "./lib/openai-compatible.server";
import { createChromaClient } from "./lib/search/chroma.server";
import { ChromaProductIndex } from "./lib/search/chroma-product-index.server";
import { ProductSearch } from "./lib/search/product-search.server";
import { AnswerEngine } from "./lib/chat/answer-engine.server";
import { createChatModel } from "./lib/chat/chat-model.server";
import { createEmbeddings } from "./lib/search/embeddings.server";
import { LocalEmbeddings } from "./lib/search/local-embeddings.server";
import { logger } from "./lib/logger.server";
import { shopifyAppTransport } from "./lib/shopify/admin-transport.server";
import { SyncEngine, syncSettingsFromEnv } from "./lib/sync/sync-engine.server";
import { documentOptionsFor } from "./lib/settings/settings-store.server";
import { unauthenticated } from "./shopify.server";

export const chroma = createChromaClient(env);
export const embeddingsProvider = createEmbeddings(env);
export const llmProvider = resolveLlmProvider(env);
/** Customers, conversations and privacy (app/lib/customers/README.md): Prisma or Appwrite per CUSTOMER_STORE. */
export const customers = createCustomerService(createCustomerStore(env, prisma), {
  retentionDays: env.CHAT_RETENTION_DAYS,
  logger: logger.child({ component: "customers" }),
});
// Prepare the store at boot (Appwrite: create database, collections, attributes, indexes if missing)
// rather than on a shopper's first request; a failure here is retried on first use.
customers.store
  .ready()
  .catch((error: unknown) => logger.error({ err: error }, "customer store not ready yet; will retry on first use"));
/** The shop product index (sync writes, search reads): one per process. */
export const productIndex = new ChromaProductIndex({ db: prisma, chroma, embeddings: embeddingsProvider, log: logger });
/** Hybrid search over productIndex (per-shop snapshots and caches keyed on the index version). */
export const productSearch = new ProductSearch({ index: productIndex, log: logger, cacheSize: env.SEARCH_CACHE_SIZE });
/** Grounded, streamed answers (app/lib/chat/README.md): `answerEngine.answer({ shop, message, … })`. */
export const answerEngine = new AnswerEngine({
  search: productSearch,
  chatModel: createChatModel(env),
  log: logger,
  maxInputChars: env.CHAT_MAX_INPUT_CHARS,
  contextProducts: env.CHAT_CONTEXT_PRODUCTS,
  historyTurns: env.CHAT_HISTORY_TURNS,
  timeoutMs: env.LLM_TIMEOUT_MS,
});
/** Catalog sync (app/lib/sync): webhook intake, workers, imports, reconciliation. Started once per process. */
export const syncEngine = new SyncEngine({
  db: prisma,
  log: logger.child({ component: "sync" }),
  index: productIndex,
  transportFor: shopifyAppTransport((shop) => unauthenticated.admin(shop)),
  deleteCustomerData: (shop) => customers.deleteShopData(shop),
  // Which product fields feed the embedded text: the shop's assistant settings (app/lib/settings).
  documentOptions: (shop) => documentOptionsFor(prisma, shop),
  settings: syncSettingsFromEnv(env),
});
// Vite reloads this module in development: the previous engine's loops stop before the new one starts.
// (A symbol key: a plain global assigned in the server build would leak its type into typechecking.)
const previousEngine = Symbol.for("aisle.syncEngine");
const processGlobals = globalThis as unknown as Record<symbol, { stop(): Promise<void> } | undefined>;
void processGlobals[previousEngine]?.stop();
processGlobals[previousEngine] = syncEngine;
syncEngine.start();

// Chat retention (CHAT_RETENTION_DAYS): an hourly purge per process; running it on several
// instances is harmless (deletes are idempotent).
const previousRetention = Symbol.for("aisle.retentionJob");
const retentionGlobals = globalThis as unknown as Record<symbol, (() => void) | undefined>;
retentionGlobals[previousRetention]?.();
retentionGlobals[previousRetention] = customers.startRetentionJob();

export function healthDependencies(): HealthDependencies {
  const { descriptor } = embeddingsProvider;
  return {
    db: prisma,
    databaseFlavour: databaseFlavour(env.DATABASE_URL),
    chroma,
    chromaUrl: env.CHROMA_URL,
    embedder: {
      ...descriptor,
      probe: () =>
        descriptor.provider === "local"
          ? LocalEmbeddings.ready()
          : probeOpenAiCompatible(descriptor.baseUrl, env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY),
    },
    llm: {
      provider: llmProvider,
      model: env.LLM_MODEL,
      probe: () => probeOpenAiCompatible(env.LLM_BASE_URL, env.LLM_API_KEY ?? env.OPENAI_API_KEY),
    },
  };
}
