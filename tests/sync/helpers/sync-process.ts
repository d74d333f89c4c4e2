// A sync engine in its own process (what an app instance runs), for tests that kill it with
// SIGKILL at random points. It reaches the store emulator with the shop's access token over HTTP.
// Usage: tsx tests/sync/helpers/sync-process.ts (settings from the environment, see below).
import { createPrismaClient } from "../../../app/lib/db/create-prisma-client.server";
import { createLogger } from "../../../app/lib/logger.server";
import { createEmbeddings } from "../../../app/lib/search/embeddings.server";
import { createProductIndex, createVectorStore } from "../../../app/lib/search/search-stores.server";
import type { GraphqlTransport } from "../../../app/lib/shopify/admin-graphql";
import { SyncEngine, syncSettingsFromEnv } from "../../../app/lib/sync/sync-engine.server";
import { parseEnv } from "../../../app/lib/config/env-schema";

const { EMULATOR_URL, SHOP_TOKENS } = process.env;
const env = parseEnv(process.env);
const tokens = JSON.parse(SHOP_TOKENS ?? "{}") as Record<string, string>;
const db = createPrismaClient(env.DATABASE_URL);

const transportFor =
  async (shop: string): Promise<GraphqlTransport> =>
  async (query, variables) => {
    const response = await fetch(`${EMULATOR_URL}/shops/${shop}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": tokens[shop] ?? "" },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };

const engine = new SyncEngine({
  db,
  log: createLogger(env.LOG_LEVEL),
  index: createProductIndex({ env, db, vectors: createVectorStore(env), embeddings: createEmbeddings(env) }),
  transportFor,
  settings: { ...syncSettingsFromEnv(env), reconcileIntervalMs: 0 },
});
engine.start();
// The engine's timers are unref'd (they must never keep an app server from exiting); this process has
// no server, so without a handle of its own it would exit as soon as no request is in flight.
setInterval(() => {}, 60_000);
process.stdout.write("sync process started\n");
