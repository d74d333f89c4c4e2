// The chat endpoint's dependencies over real parts: the answer engine (hybrid search on a real
// Chroma index with the local embedder, LangChain's ChatOpenAI against the local OpenAI-compatible
// server), SQLite limits and the customers' conversation store. The engine is wrapped only to record
// what the endpoint asked of it (and whether the model was switched off for the turn).
import type { PrismaClient } from "@prisma/client";
import { pino } from "pino";
import type { Product } from "../../app/lib/catalog/product";
import { FunnelCounts } from "../../app/lib/results/funnel-counts.server";
import { holdoutPercentFor } from "../../app/lib/settings/settings-store.server";
import { AbuseLimits, type AbuseLimitSettings } from "../../app/lib/storefront/abuse-limits.server";
import type { AnswerMode, StorefrontChatDeps } from "../../app/lib/storefront/chat-turn.server";
import { VisitorIds } from "../../app/lib/storefront/signed-visitor-id.server";
import { storefrontShops } from "../../app/lib/storefront/storefront-shops.server";
import type { AnswerRequest } from "../../app/lib/chat/types";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { createChatTestContext } from "../chat/chat-test-context";

/** The secret the test endpoints sign visitor ids with (the app uses SHOPIFY_API_SECRET). */
export const TEST_VISITOR_SECRET = "chat-endpoint-visitor-secret";

export async function createChatEndpointContext(
  prisma: PrismaClient,
  catalog: Product[],
  options: { limits?: Partial<AbuseLimitSettings>; chunkDelayMs?: number; now?: () => Date } = {},
) {
  const chat = await createChatTestContext(catalog, { chunkDelayMs: options.chunkDelayMs ?? 0 });
  const calls: { mode: AnswerMode; request: AnswerRequest }[] = [];
  const recorded: StorefrontChatDeps["engine"] = {
    answer(request) {
      calls.push({ mode: request.useModel === false ? "retrieval-only" : "llm", request });
      return chat.engine.answer(request);
    },
  };
  const customers = createCustomerService(new PrismaCustomerStore(prisma), { retentionDays: 90, now: options.now });
  const makeLimits = (overrides: Partial<AbuseLimitSettings> = {}) =>
    new AbuseLimits(
      prisma,
      {
        windowSeconds: 60,
        visitorMessagesPerWindow: 5,
        shopMessagesPerWindow: 100,
        dailyTokenBudget: 100_000,
        ...options.limits,
        ...overrides,
      },
      { now: options.now },
    );
  const deps: StorefrontChatDeps = {
    engine: recorded,
    funnel: new FunnelCounts(prisma, options.now),
    holdoutPercent: (shop) => holdoutPercentFor(prisma, shop),
    conversations: customers,
    limits: makeLimits(),
    visitors: new VisitorIds(TEST_VISITOR_SECRET),
    shops: storefrontShops(prisma),
    trustedProxyHops: 0,
    caps: { maxBodyBytes: 2048, maxMessageChars: 200 },
    log: pino({ level: "silent" }),
  };
  return { deps, calls, customers, makeLimits, llm: chat.llm, shop: chat.shop, close: chat.close };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a text/event-stream body into its events. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() && !frame.startsWith(":"))
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
