// The real app modules (routes, services, Shopify verification) loaded in the test process against
// a fresh migrated SQLite database and the suite's Chroma server. Background sync is off
// (SYNC_WORKER_CONCURRENCY=0, an intake-only process); tests drain explicitly.
import type { ActionFunctionArgs } from "@remix-run/node";
import { inject } from "vitest";
import { createTestDatabase } from "../../helpers/database";
import { signedWebhookRequest } from "./catalog";

export const TEST_SECRET = "sync-tests-secret-5d1c";
const APP_URL = "http://127.0.0.1:39917";

type Action = (args: ActionFunctionArgs) => Promise<Response>;

export async function loadApp(extraEnv: Record<string, string> = {}) {
  const database = createTestDatabase();
  await database.prisma.$disconnect();
  Object.assign(process.env, {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    SHOPIFY_API_KEY: "sync-tests-app",
    SHOPIFY_API_SECRET: TEST_SECRET,
    SHOPIFY_APP_URL: APP_URL,
    DATABASE_URL: database.url,
    CHROMA_URL: inject("chromaUrl"),
    EMBEDDINGS_PROVIDER: "local",
    LLM_PROVIDER: "none",
    SYNC_WORKER_CONCURRENCY: "0",
    ...extraEnv,
  });
  const services = await import("../../../app/services.server");
  const prisma = (await import("../../../app/db.server")).default;
  const routes: Record<string, Action> = {
    "products/create": (await import("../../../app/routes/webhooks.products.create")).action,
    "products/update": (await import("../../../app/routes/webhooks.products.update")).action,
    "products/delete": (await import("../../../app/routes/webhooks.products.delete")).action,
    "app/uninstalled": (await import("../../../app/routes/webhooks.app.uninstalled")).action,
    "shop/redact": (await import("../../../app/routes/webhooks.shop.redact")).action,
    "bulk_operations/finish": (await import("../../../app/routes/webhooks.bulk_operations.finish")).action,
  };

  let deliveries = 0;
  /** Delivers a signed webhook to the route, as Shopify would; returns the HTTP status. */
  async function deliver(
    shop: string,
    topic: keyof typeof routes,
    body: string,
    options: { webhookId?: string; hmac?: string | null } = {},
  ): Promise<number> {
    const request = signedWebhookRequest({
      appUrl: APP_URL,
      secret: TEST_SECRET,
      shop,
      topic,
      body,
      webhookId: options.webhookId ?? `wh-${process.pid}-${++deliveries}`,
      hmac: options.hmac,
    });
    try {
      return (await routes[topic]({ request, params: {}, context: {} })).status;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  /** An installed shop: the offline session the library looks up for webhooks and Admin calls. */
  async function install(shop: string, accessToken = "shpat_sync_tests") {
    await prisma.session.upsert({
      where: { id: `offline_${shop}` },
      create: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken },
      update: { accessToken },
    });
    await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: { uninstalledAt: null } });
  }

  return { services, prisma, routes, deliver, install, databaseUrl: database.url };
}

export type LoadedApp = Awaited<ReturnType<typeof loadApp>>;

/** Counts calls into the real embedder (the instance the app uses) without changing what it does. */
export function countEmbeddings(embeddings: { embedDocuments(texts: string[]): Promise<number[][]> }) {
  const counter = { calls: 0, texts: 0 };
  const original = embeddings.embedDocuments.bind(embeddings);
  embeddings.embedDocuments = async (texts: string[]) => {
    counter.calls++;
    counter.texts += texts.length;
    return original(texts);
  };
  return counter;
}
