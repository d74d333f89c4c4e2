// The one description of every setting Aisle reads. `parseEnv` is pure (it takes the raw
// environment) so the validation itself is unit-tested; app/env.server.ts applies it at boot.
import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseFlavour } from "../db/database-url";

const optionalString = z.string().trim().optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `must be an absolute URL (${what})` });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    // Shopify app credentials: from the Partner dashboard (or `shopify app dev`), or the demo runner.
    SHOPIFY_API_KEY: z.string().trim().min(1, "is required (the app's client id)"),
    SHOPIFY_API_SECRET: z.string().trim().min(1, "is required (the app's client secret)"),
    SHOPIFY_APP_URL: url("the public https URL Shopify reaches the app at"),
    SCOPES: csv.default([
      "read_products",
      "read_customers",
      "read_orders",
      "read_legal_policies",
      "read_online_store_pages",
    ]),
    SHOP_CUSTOM_DOMAIN: optionalString,
    // Where the embedded admin loads App Bridge from; unset = Shopify's CDN (the store emulator serves a stand-in).
    APP_BRIDGE_URL: url("the App Bridge script").optional(),

    DATABASE_URL: z
      .string()
      .trim()
      .default(DEFAULT_DATABASE_URL)
      .superRefine((value, ctx) => {
        try {
          databaseFlavour(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),

    // Where product vectors live (docs/decisions/097): Chroma, or pgvector on Postgres.
    VECTOR_STORE: z.enum(["chroma", "pgvector"]).default("chroma"),
    // pgvector's Postgres; unset = DATABASE_URL when that is Postgres.
    PGVECTOR_URL: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//i, "must be a postgres:// or postgresql:// URL")
      .optional(),
    PGVECTOR_POOL_SIZE: positiveInt(10),
    // Chroma collection handles kept per process (one per shop collection in use; least recently used are closed).
    VECTOR_COLLECTION_CACHE: positiveInt(500),
    CHROMA_URL: url("the Chroma server, e.g. http://127.0.0.1:8000").default("http://127.0.0.1:8000"),
    CHROMA_TENANT: optionalString,
    CHROMA_DATABASE: optionalString,
    CHROMA_API_KEY: optionalString,

    OPENAI_API_KEY: optionalString,
    EMBEDDINGS_PROVIDER: z.enum(["auto", "local", "openai"]).default("auto"),
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_BASE_URL: url("an OpenAI-compatible embeddings API").optional(),
    EMBEDDINGS_API_KEY: optionalString,

    LLM_PROVIDER: z.enum(["auto", "openai", "none"]).default("auto"),
    LLM_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
    LLM_BASE_URL: url("an OpenAI-compatible chat completions API").optional(),
    LLM_API_KEY: optionalString,
    LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
    LLM_TIMEOUT_MS: positiveInt(20_000),
    LLM_MAX_TOKENS: positiveInt(600),
    // The conversation rewrite's deadline (structured output); past it the deterministic reading is used.
    LLM_REWRITE_TIMEOUT_MS: positiveInt(5000),

    // Search and answers (app/lib/search, app/lib/chat).
    CHAT_MAX_INPUT_CHARS: positiveInt(1000),
    CHAT_CONTEXT_PRODUCTS: z.coerce.number().int().min(1).max(20).default(6),
    CHAT_HISTORY_TURNS: z.coerce.number().int().min(0).max(20).default(6),
    // Search results cached per process, all shops together (0 = off); any write to a shop invalidates its entries.
    SEARCH_CACHE_SIZE: z.coerce.number().int().min(0).default(200),
    // Shops whose query vocabulary (types, brands, option values) a process keeps.
    SEARCH_VOCABULARY_CACHE_SHOPS: positiveInt(100),
    // How long a search waits for the vector store before answering with lexical results (0 = no limit).
    SEARCH_VECTOR_TIMEOUT_MS: z.coerce.number().int().min(0).default(250),
    // Hybrid: how many of the best fused products move the query's vector before the vector list is
    // ranked again (pseudo-relevance feedback, decision 146; 0 = off: one vector store round trip less).
    SEARCH_FEEDBACK_DOCUMENTS: z.coerce.number().int().min(0).max(20).default(3),

    // Catalog sync (app/lib/sync).
    // 0 = this process only records webhooks (web-only instances beside dedicated sync processes).
    SYNC_WORKER_CONCURRENCY: z.coerce.number().int().min(0).default(1),
    SYNC_BATCH_SIZE: positiveInt(64),
    SYNC_LEASE_SECONDS: positiveInt(120),
    SYNC_POLL_INTERVAL_MS: positiveInt(1000),
    SYNC_MAX_BACKOFF_SECONDS: positiveInt(300),
    SYNC_RECONCILE_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(360),
    // Shopify sends no webhooks for policies and pages: each shop's are read again this often (0 = at
    // install and from the dashboard only; decision 125).
    KNOWLEDGE_REFRESH_MINUTES: z.coerce.number().int().min(0).default(360),
    // A catalog import retries a failed step (new export when needed) this many times, waiting
    // SYNC_IMPORT_RETRY_SECONDS doubling up to SYNC_MAX_BACKOFF_SECONDS; a shop whose imports all
    // failed gets a new one after SYNC_FAILED_IMPORT_RETRY_MINUTES (doubling, at most a day; 0 = never).
    SYNC_IMPORT_ATTEMPTS: positiveInt(6),
    SYNC_IMPORT_RETRY_SECONDS: positiveInt(15),
    SYNC_FAILED_IMPORT_RETRY_MINUTES: z.coerce.number().int().min(0).default(60),
    // How often each shop's webhook subscriptions are compared with shopify.app.toml (decision 107); the
    // dashboard shows drift within 15 minutes at the default (0 = on dashboard visits only).
    WEBHOOK_SUBSCRIPTION_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
    SYNC_METAFIELDS: csv
      .default([])
      .refine((keys) => keys.every((key) => /^[\w-]+\.[\w-]+$/.test(key)), 'must be "namespace.key" entries'),

    // Customers & chat history (app/lib/customers).
    CUSTOMER_STORE: z.enum(["prisma", "appwrite"]).default("prisma"),
    APPWRITE_ENDPOINT: url("the Appwrite API, e.g. https://cloud.appwrite.io/v1").optional(),
    APPWRITE_PROJECT_ID: optionalString,
    APPWRITE_API_KEY: optionalString,
    APPWRITE_DATABASE_ID: z
      .string()
      .trim()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/, "must be an Appwrite id (≤ 36 of a-z A-Z 0-9 . _ -)")
      .default("aisle"),
    // A copy of each indexed product's metadata in Appwrite, for the merchant's other apps (decision 120).
    APPWRITE_PRODUCTS: z
      .enum(["true", "false"], { message: 'must be "true" or "false"' })
      .default("false")
      .transform((value) => value === "true"),
    CHAT_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
    // Retention of operational rows, pruned hourly (docs/decisions/102); 0 keeps them forever.
    // Exports hold full chat text: 30 days covers the month the merchant has to answer the request.
    DATA_EXPORT_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
    // Deliveries (and finished lifecycle jobs) only deduplicate retries, which end within hours; 30 days keeps a trace.
    WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
    // Lag samples feed the last-24-hours chart: a week is enough to look back at an incident.
    SYNC_LAG_RETENTION_DAYS: z.coerce.number().int().min(0).default(7),

    // Bounded input (server.mjs, app/lib/http/bounded-input.server.ts; docs/decisions/094).
    // Body limit of every route without its own (webhooks 5 MiB, App Proxy CHAT_MAX_BODY_BYTES, login 8 KiB).
    MAX_REQUEST_BODY_BYTES: positiveInt(1_048_576),
    // Requests at once in their unauthenticated phase (body being read; the whole request on /auth/*).
    UNAUTHENTICATED_CONCURRENCY: positiveInt(32),

    // Health (/healthz): the detailed report needs `Authorization: Bearer <HEALTH_TOKEN>`; unset = never served.
    HEALTH_TOKEN: z.string().trim().min(16, "must be at least 16 characters (a random secret)").optional(),
    // How long a model-provider probe's result is reused (each probe is a call with the app's keys).
    HEALTH_PROBE_TTL_SECONDS: positiveInt(30),

    // Storefront chat endpoint (app/lib/storefront).
    CHAT_MAX_BODY_BYTES: positiveInt(16_384),
    CHAT_RATE_WINDOW_SECONDS: positiveInt(60),
    CHAT_VISITOR_MESSAGES_PER_WINDOW: positiveInt(12),
    CHAT_SHOP_MESSAGES_PER_WINDOW: positiveInt(600),
    // 0 = never call the language model (retrieval-only answers).
    CHAT_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(0).default(200_000),
    // Every model call reserves its worst case against these before it starts (decision 104).
    // 0 = no per-minute / app-wide ceiling; a share of 1 = no per-visitor ceiling.
    CHAT_SHOP_TOKENS_PER_MINUTE: z.coerce.number().int().min(0).default(20_000),
    CHAT_GLOBAL_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(0).default(10_000_000),
    CHAT_VISITOR_TOKEN_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
    // Per client address (decision 105): many shoppers can share one (NAT), so more than one visitor's.
    CHAT_IP_MESSAGES_PER_WINDOW: positiveInt(60),
    CHAT_IP_TOKEN_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
    CHAT_CART_EVENTS_PER_WINDOW: positiveInt(30),
    // Handoff requests (the chat's contact form) per visitor per window; five times that per address.
    CHAT_HANDOFFS_PER_WINDOW: positiveInt(3),
    // Proxies of our own (load balancers) in front of the app whose X-Forwarded-For entry is trusted;
    // the App Proxy routes trust Shopify's proxy as one more. 0 = the socket address.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    CHAT_TOKEN_TTL_SECONDS: positiveInt(900),
    // Extra storefront origins: `https://x.example` for every shop, `<shop>.myshopify.com=https://x.example`
    // for that shop alone (decision 105).
    CHAT_STOREFRONT_ORIGINS: csv
      .default([])
      .refine(
        (origins) => origins.every((entry) => /^([a-z0-9][a-z0-9.-]*=)?https?:\/\/[^/\s=]+$/i.test(entry)),
        "must be origins like https://shop.example.com (scheme and host, no path), optionally as shop=origin",
      ),
  })
  .superRefine((env, ctx) => {
    if (
      env.EMBEDDINGS_PROVIDER === "openai" &&
      !env.OPENAI_API_KEY &&
      !env.EMBEDDINGS_API_KEY &&
      !env.EMBEDDINGS_BASE_URL
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["EMBEDDINGS_PROVIDER"],
        message: 'is "openai" but neither OPENAI_API_KEY, EMBEDDINGS_API_KEY nor EMBEDDINGS_BASE_URL is set',
      });
    }
    if (env.LLM_PROVIDER === "openai" && !env.OPENAI_API_KEY && !env.LLM_API_KEY && !env.LLM_BASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["LLM_PROVIDER"],
        message: 'is "openai" but neither OPENAI_API_KEY, LLM_API_KEY nor LLM_BASE_URL is set',
      });
    }
    if (env.VECTOR_STORE === "pgvector" && !env.PGVECTOR_URL && !/^postgres(ql)?:\/\//i.test(env.DATABASE_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["PGVECTOR_URL"],
        message: 'is required when VECTOR_STORE is "pgvector" and DATABASE_URL is not Postgres',
      });
    }
    const appwriteNeededBy =
      env.CUSTOMER_STORE === "appwrite"
        ? 'CUSTOMER_STORE is "appwrite"'
        : env.APPWRITE_PRODUCTS
          ? "APPWRITE_PRODUCTS is true"
          : null;
    if (appwriteNeededBy) {
      for (const name of ["APPWRITE_ENDPOINT", "APPWRITE_PROJECT_ID", "APPWRITE_API_KEY"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `is required when ${appwriteNeededBy}` });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  - ${p.variable} ${p.message}`).join("\n") +
        "\nSee .env.example for every setting.",
    );
    this.name = "EnvError";
  }
}

/** Validates a raw environment; throws an EnvError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // An empty value (`KEY=` in .env) means "not set", so defaults and optional checks apply.
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: issue.code === "invalid_type" && issue.input === undefined ? "is required but not set" : issue.message,
    })),
  );
}

/** Which embedding provider is in force once "auto" is resolved. */
export function resolveEmbeddingsProvider(env: Env): "local" | "openai" {
  if (env.EMBEDDINGS_PROVIDER !== "auto") return env.EMBEDDINGS_PROVIDER;
  return env.OPENAI_API_KEY || env.EMBEDDINGS_BASE_URL ? "openai" : "local";
}

/** Which chat model provider is in force once "auto" is resolved ("none" = retrieval-only answers). */
export function resolveLlmProvider(env: Env): "openai" | "none" {
  if (env.LLM_PROVIDER !== "auto") return env.LLM_PROVIDER;
  return env.OPENAI_API_KEY || env.LLM_BASE_URL ? "openai" : "none";
}
