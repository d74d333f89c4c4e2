// The chat endpoint's long-lived parts, created once per process from validated configuration.
import prisma from "../../db.server";
import { env } from "../../env.server";
import { customers } from "../../services.server";
import { logger } from "../logger.server";
import { AbuseLimits, abuseLimitSettingsFromEnv } from "./abuse-limits.server";
import type { AnswerEngine, ChatEndpointDeps } from "./chat-endpoint.server";

export const chatAbuseLimits = new AbuseLimits(prisma, abuseLimitSettingsFromEnv(env));

export const chatCaps = { maxBodyBytes: env.CHAT_MAX_BODY_BYTES, maxMessageChars: env.CHAT_MAX_MESSAGE_CHARS };

export const chatTokenSettings = {
  secret: env.SHOPIFY_API_SECRET,
  ttlSeconds: env.CHAT_TOKEN_TTL_SECONDS,
  storefrontOrigins: env.CHAT_STOREFRONT_ORIGINS,
  /** Where the widget streams from when its origin is allowed (the app's own origin). */
  streamUrl: new URL("/proxy/stream", env.SHOPIFY_APP_URL).href,
};

// The answer engine (app/lib/chat, search/answer engineer) is wired here once it lands; until then
// the endpoint answers 503 "assistant unavailable" rather than anything made up.
const answerEngine: AnswerEngine | null = null;

export function chatEndpointDeps(): ChatEndpointDeps | null {
  if (!answerEngine) return null;
  return {
    engine: answerEngine,
    conversations: customers,
    limits: chatAbuseLimits,
    caps: chatCaps,
    log: logger,
  };
}

// Old rate windows and budget rows are pruned hourly (unref: never keeps the process alive).
setInterval(() => {
  chatAbuseLimits.prune().catch((error) => logger.warn({ err: error }, "pruning chat limits failed"));
}, 3_600_000).unref();
