// The chat endpoint's long-lived parts, created once per process from validated configuration.
import prisma from "../../db.server";
import { env } from "../../env.server";
import { answerEngine, customers, productSearch } from "../../services.server";
import { logger } from "../logger.server";
import { answerStyleFor } from "../settings/settings-store.server";
import { AbuseLimits, abuseLimitSettingsFromEnv } from "./abuse-limits.server";
import { AnswerEngine } from "./answer-engine.server";
import type { ChatEndpointDeps } from "./chat-endpoint.server";

export const chatAbuseLimits = new AbuseLimits(prisma, abuseLimitSettingsFromEnv(env));

export const chatCaps = { maxBodyBytes: env.CHAT_MAX_BODY_BYTES, maxMessageChars: env.CHAT_MAX_INPUT_CHARS };

export const chatTokenSettings = {
  secret: env.SHOPIFY_API_SECRET,
  ttlSeconds: env.CHAT_TOKEN_TTL_SECONDS,
  storefrontOrigins: env.CHAT_STOREFRONT_ORIGINS,
  /** Where the widget streams from when its origin is allowed (the app's own origin). */
  streamUrl: new URL("/proxy/stream", env.SHOPIFY_APP_URL).href,
};

/** The same engine without the language model: what a shop gets once its daily token budget is spent. */
const retrievalOnlyEngine = new AnswerEngine({
  search: productSearch,
  chatModel: null,
  log: logger,
  maxInputChars: env.CHAT_MAX_INPUT_CHARS,
  contextProducts: env.CHAT_CONTEXT_PRODUCTS,
  historyTurns: env.CHAT_HISTORY_TURNS,
});

export const chatEndpointDeps: ChatEndpointDeps = {
  engines: { llm: answerEngine, "retrieval-only": retrievalOnlyEngine },
  catalog: productSearch,
  conversations: customers,
  limits: chatAbuseLimits,
  caps: chatCaps,
  log: logger,
  answerStyle: (shop) => answerStyleFor(prisma, shop),
};

// Old rate windows and budget rows are pruned hourly (unref: never keeps the process alive).
setInterval(() => {
  chatAbuseLimits.prune().catch((error) => logger.warn({ err: error }, "pruning chat limits failed"));
}, 3_600_000).unref();
