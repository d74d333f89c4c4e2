// The composition root (docs/decisions/092-composition-root.md): every long-lived client of an app
// process is created here, once, from validated configuration. Importing this module does nothing;
// the HTTP server (server.mjs) calls `bootServices` once and hands the services to every route as
// `context.services`. Tests build their own with `createServices(testEnv)`.
import type { PrismaClient } from "@prisma/client";
import { AnswerEngine } from "./lib/chat/answer-engine.server";
import { createChatModel, createRewriteModel } from "./lib/chat/chat-model.server";
import { parseEnv, resolveLlmProvider, type Env } from "./lib/config/env-schema";
import { createAppwriteClient } from "./lib/customers/appwrite-client.server";
import { createCustomerStore } from "./lib/customers/create-store.server";
import { HistoryOutbox } from "./lib/customers/history-outbox.server";
import { createCustomerService, type CustomerService } from "./lib/customers/service.server";
import type { OverviewDependencies } from "./lib/dashboard/overview.server";
import { DownSince, SyncTasks } from "./lib/dashboard/sync-tasks.server";
import { databaseFlavour } from "./lib/db/database-url";
import { createPrismaClient } from "./lib/db/create-prisma-client.server";
import { cachedProbe, checkHealth, probe, type HealthDependencies } from "./lib/health.server";
import {
  BODY_TIMEOUT_MS,
  ConcurrencyGate,
  LOGIN_BODY_LIMIT_BYTES,
  type RequestGuard,
} from "./lib/http/bounded-input.server";
import { Handoffs } from "./lib/handoff/handoffs.server";
import { createLogger, type Logger } from "./lib/logger.server";
import { KnowledgeQuestions } from "./lib/knowledge/knowledge-questions.server";
import { KnowledgeRefresher } from "./lib/knowledge/knowledge-refresh.server";
import { KnowledgeStore } from "./lib/knowledge/knowledge-store.server";
import { LifecycleJobs } from "./lib/lifecycle/lifecycle-jobs.server";
import { lifecyclePlans } from "./lib/lifecycle/lifecycle-plans.server";
import { pruneOperationalRows } from "./lib/lifecycle/retention.server";
import { FunnelCounts } from "./lib/results/funnel-counts.server";
import { conversationProductsFrom, OrderAttributions } from "./lib/results/order-attributions.server";
import { probeOpenAiCompatible } from "./lib/openai-compatible.server";
import type { HybridProductIndex } from "./lib/search/hybrid-product-index.server";
import { createProductIndex, createVectorStore } from "./lib/search/search-stores.server";
import type { ProductVectorStore } from "./lib/search/vector-store";
import { createEmbeddings, type EmbeddingsProvider } from "./lib/search/embeddings.server";
import { LocalEmbeddings } from "./lib/search/local-embeddings.server";
import { ProductSearch } from "./lib/search/product-search.server";
import { DEFAULT_RELEVANCE_FEEDBACK } from "./lib/search/relevance-feedback";
import { answerStyleFor, documentOptionsFor, holdoutPercentFor } from "./lib/settings/settings-store.server";
import { expireRefusedToken, probeAdminAccess, shopifyAppTransport } from "./lib/shopify/admin-transport.server";
import { systemClock, type Clock } from "./lib/shopify/throttled-admin";
import { AbuseLimits, abuseLimitSettingsFromEnv } from "./lib/storefront/abuse-limits.server";
import type { StorefrontChatDeps } from "./lib/storefront/chat-turn.server";
import type { ChatTokenSettings } from "./lib/storefront/session.server";
import { storefrontShops } from "./lib/storefront/storefront-shops.server";
import { VisitorIds } from "./lib/storefront/signed-visitor-id.server";
import { SubscriptionHealth } from "./lib/sync/subscription-health.server";
import { ProductMirror } from "./lib/sync/product-mirror.server";
import { SyncEngine, syncSettingsFromEnv } from "./lib/sync/sync-engine.server";
import { createShopify, createWebhookVerifier, type ShopifyApp, type WebhookVerifier } from "./shopify.server";
import { WEBHOOK_BODY_LIMIT_BYTES } from "./webhooks.server";

export interface Services {
  env: Env;
  log: Logger;
  prisma: PrismaClient;
  shopify: ShopifyApp;
  /** Webhook routes: the library's HMAC and header check, without any access token (decision 093). */
  webhookVerifier: WebhookVerifier;
  /** Product vectors: Chroma or pgvector (VECTOR_STORE), through LangChain. */
  vectorStore: ProductVectorStore;
  embeddings: EmbeddingsProvider;
  llmProvider: "openai" | "none";
  /** Customers, conversations and privacy (app/lib/customers): Prisma or Appwrite per CUSTOMER_STORE. */
  customers: CustomerService;
  /** Chat history on its way to an external customer store (Appwrite); null on Prisma (decision 121). */
  historyOutbox: HistoryOutbox | null;
  /** The shop product index (sync writes, search reads). */
  productIndex: HybridProductIndex;
  productSearch: ProductSearch;
  /** Store knowledge (decision 125): policies, pages and the merchant's Q&A that answers quote. */
  knowledge: { store: KnowledgeStore; questions: KnowledgeQuestions; refresher: KnowledgeRefresher };
  /** Grounded, streamed answers (app/lib/chat/README.md). */
  answerEngine: AnswerEngine;
  /** Catalog sync (app/lib/sync): webhook intake, workers, imports, reconciliation. */
  syncEngine: SyncEngine;
  /** APPWRITE_PRODUCTS: product metadata mirrored to Appwrite (decision 120); null when off. */
  productMirror: ProductMirror | null;
  /** Each shop's webhook subscriptions compared with shopify.app.toml (decision 107). */
  subscriptionHealth: SubscriptionHealth;
  /** Compliance and uninstall webhooks as durable jobs (app/lib/lifecycle, decision 102). */
  lifecycleJobs: LifecycleJobs;
  /** What the assistant sold: order attribution and the storefront funnel (app/lib/results, decision 112). */
  results: { attributions: OrderAttributions; funnel: FunnelCounts };
  /** Human handoff: the dashboard's queue and the Shopify Flow trigger (app/lib/handoff, decision 124). */
  handoffs: Handoffs;
  /** The storefront chat endpoint behind the App Proxy routes. */
  storefront: { chat: StorefrontChatDeps; token: ChatTokenSettings; limits: AbuseLimits };
  /** Dashboard state kept by this process: background sync controls, "unreachable since". */
  dashboard: { tasks: SyncTasks; downSince: DownSince };
  /** Body limits and the unauthenticated-work gate server.mjs applies before Remix (decision 094). */
  http: RequestGuard;
  /** Model-provider probes, each shared for HEALTH_PROBE_TTL_SECONDS (every probe is a call with the app's keys). */
  healthProbes: { embedder: () => Promise<void>; llm: () => Promise<void> };
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: Services;
    /** The TCP peer's address (server.mjs): the direct stream's per-IP limits key on it. */
    socketAddress?: string;
  }
}

/** What a process may inject besides its configuration. */
export interface ServiceOptions {
  /**
   * The clock of the background writers' leases and backoff (history outbox, product mirror, sync
   * workers); default the system's. An outage can then be simulated over minutes in seconds.
   */
  clock?: Clock;
}

/** Builds every long-lived client; starts nothing (see `startBackgroundJobs`). */
export function createServices(env: Env, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now());
  const log = createLogger(env.LOG_LEVEL);
  const prisma = createPrismaClient(env.DATABASE_URL);
  const shopify = createShopify(env, prisma, log);
  const vectorStore = createVectorStore(env);
  const embeddings = createEmbeddings(env);
  const store = createCustomerStore(env, prisma);
  // A store outside the app database gets the chat's history through a durable outbox (decision 121).
  const historyOutbox =
    store.kind === "appwrite"
      ? new HistoryOutbox({
          db: prisma,
          store,
          log: log.child({ component: "history-outbox" }),
          settings: { pollIntervalMs: env.SYNC_POLL_INTERVAL_MS },
          now,
        })
      : null;
  // The handoff queue reads conversations through the customer service, which in turn erases and
  // exports the queue's customer data with its own (the closures resolve once both exist).
  const handoffs: Handoffs = new Handoffs({
    db: prisma,
    messages: (shop, conversationId) => customers.lastTurns(shop, conversationId, 30),
    conversationOwner: (shop, conversationId) => customers.conversationOwner(shop, conversationId),
    recordJob: (job) => lifecycleJobs.record(job),
    queueUrl: (shop) => `https://${shop}/admin/apps/${env.SHOPIFY_API_KEY}/app/handoffs`,
  });
  const customers = createCustomerService(historyOutbox?.customerStore ?? store, {
    retentionDays: env.CHAT_RETENTION_DAYS,
    exportRetentionDays: env.DATA_EXPORT_RETENTION_DAYS,
    logger: log.child({ component: "customers" }),
    related: handoffs,
  });
  const productIndex = createProductIndex({ env, db: prisma, vectors: vectorStore, embeddings, log });
  const productSearch = new ProductSearch({
    index: productIndex,
    log,
    cacheSize: env.SEARCH_CACHE_SIZE,
    vocabularyCacheShops: env.SEARCH_VOCABULARY_CACHE_SHOPS,
    vectorTimeoutMs: env.SEARCH_VECTOR_TIMEOUT_MS,
    relevanceFeedback: env.SEARCH_FEEDBACK_DOCUMENTS
      ? { ...DEFAULT_RELEVANCE_FEEDBACK, documents: env.SEARCH_FEEDBACK_DOCUMENTS }
      : null,
  });
  const knowledgeStore = new KnowledgeStore({
    db: prisma,
    embeddings: embeddings.embeddings,
    embeddingModel: `${embeddings.descriptor.provider}:${embeddings.descriptor.model}`,
  });
  const answerEngine = new AnswerEngine({
    search: productSearch,
    knowledge: knowledgeStore,
    chatModel: createChatModel(env),
    rewriteModel: createRewriteModel(env),
    rewriteTimeoutMs: env.LLM_REWRITE_TIMEOUT_MS,
    log,
    maxInputChars: env.CHAT_MAX_INPUT_CHARS,
    contextProducts: env.CHAT_CONTEXT_PRODUCTS,
    historyTurns: env.CHAT_HISTORY_TURNS,
    timeoutMs: env.LLM_TIMEOUT_MS,
    maxOutputTokens: env.LLM_MAX_TOKENS,
  });
  const transportFor = shopifyAppTransport(
    (shop) => shopify.unauthenticated.admin(shop),
    (session) => expireRefusedToken(prisma, session.id, session.accessToken ?? ""),
  );
  // parseEnv guarantees the APPWRITE_* connection settings when APPWRITE_PRODUCTS is on.
  const productMirror = env.APPWRITE_PRODUCTS
    ? new ProductMirror({
        db: prisma,
        client: createAppwriteClient({
          endpoint: env.APPWRITE_ENDPOINT!,
          projectId: env.APPWRITE_PROJECT_ID!,
          apiKey: env.APPWRITE_API_KEY!,
        }),
        databaseId: env.APPWRITE_DATABASE_ID,
        log: log.child({ component: "product-mirror" }),
        settings: { pollIntervalMs: env.SYNC_POLL_INTERVAL_MS },
        now,
      })
    : null;
  const syncEngine = new SyncEngine({
    mirror: productMirror ?? undefined,
    db: prisma,
    log: log.child({ component: "sync" }),
    index: productIndex,
    transportFor,
    // Which product fields feed the embedded text: the shop's assistant settings (app/lib/settings).
    documentOptions: (shop) => documentOptionsFor(prisma, shop),
    settings: syncSettingsFromEnv(env),
    clock,
  });
  const knowledge = {
    store: knowledgeStore,
    questions: new KnowledgeQuestions(prisma, knowledgeStore),
    refresher: new KnowledgeRefresher({
      db: prisma,
      store: knowledgeStore,
      adminFor: (shop) => syncEngine.adminFor(shop),
      log: log.child({ component: "knowledge" }),
      settings: {
        intervalMs: env.KNOWLEDGE_REFRESH_MINUTES * 60_000,
        pollIntervalMs: Math.max(env.SYNC_POLL_INTERVAL_MS, 5000),
        leaseMs: env.SYNC_LEASE_SECONDS * 1000,
      },
    }),
  };
  const lifecycleLog = log.child({ component: "lifecycle" });
  const results = {
    attributions: new OrderAttributions(prisma, conversationProductsFrom(customers.store)),
    funnel: new FunnelCounts(prisma),
  };
  const lifecycleJobs = new LifecycleJobs({
    db: prisma,
    log: lifecycleLog,
    plan: lifecyclePlans({
      db: prisma,
      log: lifecycleLog,
      index: productIndex,
      customers,
      records: customers.store,
      attributions: results.attributions,
      productMirror: productMirror ?? undefined,
      adminAccess: (shop) => probeAdminAccess(transportFor, shop),
      flowTrigger: (shop, handoffId) => handoffs.fireFlowTrigger(shop, handoffId, () => transportFor(shop)),
    }),
    settings: { pollIntervalMs: env.SYNC_POLL_INTERVAL_MS, leaseMs: env.SYNC_LEASE_SECONDS * 1000 },
  });
  const subscriptionHealth = new SubscriptionHealth({
    db: prisma,
    log: log.child({ component: "subscriptions" }),
    transportFor,
    appUrl: env.SHOPIFY_APP_URL,
    intervalMs: env.WEBHOOK_SUBSCRIPTION_CHECK_MINUTES * 60_000,
  });
  const limits = new AbuseLimits(prisma, abuseLimitSettingsFromEnv(env));
  const chat: StorefrontChatDeps = {
    engine: answerEngine,
    funnel: results.funnel,
    holdoutPercent: (shop) => holdoutPercentFor(prisma, shop),
    conversations: customers,
    limits,
    visitors: new VisitorIds(env.SHOPIFY_API_SECRET),
    shops: storefrontShops(prisma),
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    caps: { maxBodyBytes: env.CHAT_MAX_BODY_BYTES, maxMessageChars: env.CHAT_MAX_INPUT_CHARS },
    log,
    answerStyle: (shop) => answerStyleFor(prisma, shop),
  };
  const token: ChatTokenSettings = {
    secret: env.SHOPIFY_API_SECRET,
    ttlSeconds: env.CHAT_TOKEN_TTL_SECONDS,
    storefrontOrigins: env.CHAT_STOREFRONT_ORIGINS,
    // Where the widget streams from when its origin is allowed (the app's own origin).
    streamUrl: new URL("/proxy/stream", env.SHOPIFY_APP_URL).href,
  };
  const http: RequestGuard = {
    settings: {
      defaultMaxBytes: env.MAX_REQUEST_BODY_BYTES,
      routes: [
        { prefix: "/auth/login", maxBytes: LOGIN_BODY_LIMIT_BYTES },
        // Shopify signs every delivery: one without the header is refused before its body is read.
        { prefix: "/webhooks/", maxBytes: WEBHOOK_BODY_LIMIT_BYTES, requiredHeader: "x-shopify-hmac-sha256" },
        { prefix: "/proxy/", maxBytes: env.CHAT_MAX_BODY_BYTES },
      ],
      // Login and OAuth: nothing authenticates these requests before the library's own checks.
      publicPrefixes: ["/auth"],
      bodyTimeoutMs: BODY_TIMEOUT_MS,
    },
    gate: new ConcurrencyGate(env.UNAUTHENTICATED_CONCURRENCY),
    log: log.child({ component: "http" }),
  };
  const probeTtlMs = env.HEALTH_PROBE_TTL_SECONDS * 1000;
  const { descriptor } = embeddings;
  const healthProbes = {
    embedder: cachedProbe(
      () =>
        descriptor.provider === "local"
          ? LocalEmbeddings.ready()
          : probeOpenAiCompatible(descriptor.baseUrl, env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY),
      probeTtlMs,
    ),
    llm: cachedProbe(() => probeOpenAiCompatible(env.LLM_BASE_URL, env.LLM_API_KEY ?? env.OPENAI_API_KEY), probeTtlMs),
  };
  return {
    env,
    log,
    prisma,
    shopify,
    webhookVerifier: createWebhookVerifier(env, log),
    vectorStore,
    embeddings,
    llmProvider: resolveLlmProvider(env),
    customers,
    historyOutbox,
    productIndex,
    productSearch,
    knowledge,
    answerEngine,
    syncEngine,
    productMirror,
    subscriptionHealth,
    lifecycleJobs,
    results,
    handoffs,
    storefront: { chat, token, limits },
    dashboard: { tasks: new SyncTasks(log.child({ component: "dashboard" })), downSince: new DownSince() },
    http,
    healthProbes,
  };
}

const HOUR_MS = 3_600_000;

/**
 * The background work of one app process: sync workers, the import driver and reconciliation,
 * the lifecycle job worker, the chat and export retention purge and the pruning of old rate-limit
 * rows, webhook deliveries and lag samples. Called once when the server
 * starts; returns what stops it all (timers, loops) and closes the database.
 */
export function startBackgroundJobs(services: Services): () => Promise<void> {
  const { customers, env, historyOutbox, lifecycleJobs, log, prisma, storefront, syncEngine } = services;
  // Prepare the customer store at boot (Appwrite: database, collections, attributes, indexes) rather
  // than on a shopper's first request; a failure here is retried on first use.
  customers.store
    .ready()
    .catch((error: unknown) => log.error({ err: error }, "customer store not ready yet; will retry on first use"));
  // SQLite's ranking thread (decision 143) starts now, not on a shopper's first search, and shops
  // indexed before decision 145 get their own full-text tables back.
  services.productIndex.catalog
    .ready()
    .catch((error: unknown) =>
      log.warn({ err: error }, "search catalog not ready; the ranking thread retries on first search"),
    );
  syncEngine.start();
  // An intake-only process (SYNC_WORKER_CONCURRENCY=0) records lifecycle jobs; others run them.
  if (env.SYNC_WORKER_CONCURRENCY > 0) {
    lifecycleJobs.start();
    historyOutbox?.start();
    // Policies and pages of new shops at once, every shop's again each KNOWLEDGE_REFRESH_MINUTES.
    services.knowledge.refresher.start();
    // At boot, then every WEBHOOK_SUBSCRIPTION_CHECK_MINUTES; web-only processes check on dashboard visits.
    services.subscriptionHealth.start();
  }
  // Running these on several instances is harmless: deletes are idempotent.
  const stopRetention = customers.startRetentionJob(HOUR_MS);
  const retention = {
    webhookDeliveryDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS,
    syncLagSampleDays: env.SYNC_LAG_RETENTION_DAYS,
  };
  const pruneLimits = setInterval(() => {
    storefront.limits.prune().catch((error: unknown) => log.warn({ err: error }, "pruning chat limits failed"));
    pruneOperationalRows(prisma, log, retention).catch((error: unknown) =>
      log.warn({ err: error }, "pruning old deliveries and lag samples failed"),
    );
    historyOutbox?.prune().catch((error: unknown) => log.warn({ err: error }, "pruning the history outbox failed"));
  }, HOUR_MS);
  pruneLimits.unref();
  return async () => {
    clearInterval(pruneLimits);
    stopRetention();
    await Promise.all([
      syncEngine.stop(),
      lifecycleJobs.stop(),
      services.subscriptionHealth.stop(),
      services.knowledge.refresher.stop(),
      historyOutbox?.stop(),
    ]);
    await services.vectorStore.close();
    await services.productIndex.catalog.close();
    await services.prisma.$disconnect();
  };
}

/**
 * The server's entry: validates the environment (a bad variable stops the process with a message
 * naming it), builds the services and starts their background work.
 */
export function bootServices(rawEnv: Record<string, string | undefined>) {
  const services = createServices(parseEnv(rawEnv));
  return { services, stop: startBackgroundJobs(services) };
}

export function healthDependencies(services: Services): HealthDependencies {
  const { env, prisma, vectorStore, embeddings, llmProvider, healthProbes, customers, historyOutbox } = services;
  return {
    db: prisma,
    databaseFlavour: databaseFlavour(env.DATABASE_URL),
    vectorStore,
    embedder: { ...embeddings.descriptor, probe: healthProbes.embedder },
    llm: { provider: llmProvider, model: env.LLM_MODEL, probe: healthProbes.llm },
    customerStore: (timeoutMs) => {
      const ping = () => probe(() => customers.store.ping(), timeoutMs);
      return historyOutbox ? historyOutbox.health(ping) : ping();
    },
  };
}

export function overviewDependencies(services: Services): OverviewDependencies {
  const { env, prisma, syncEngine, productIndex, embeddings, llmProvider, dashboard, productMirror } = services;
  return {
    db: prisma,
    status: (shop) => syncEngine.status(shop),
    health: () => checkHealth(healthDependencies(services)),
    index: productIndex,
    embeddings: embeddings.descriptor,
    llm: { provider: llmProvider, model: env.LLM_MODEL },
    downSince: dashboard.downSince,
    tasks: dashboard.tasks,
    mirror: productMirror ? (shop) => productMirror.state(shop) : undefined,
  };
}
