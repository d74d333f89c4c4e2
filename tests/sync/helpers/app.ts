// The real app (composition root, routes, Shopify verification) built in the test process against
// a fresh migrated SQLite database and the suite's Chroma server (tests/kit/test-app.ts). Background
// sync is off (an intake-only process); tests drain explicitly.
import type { ActionFunctionArgs } from "@remix-run/node";
import { action as bulkOperationsFinish } from "../../../app/routes/webhooks.bulk_operations.finish";
import { action as appUninstalled } from "../../../app/routes/webhooks.app.uninstalled";
import { action as productsCreate } from "../../../app/routes/webhooks.products.create";
import { action as productsDelete } from "../../../app/routes/webhooks.products.delete";
import { action as productsUpdate } from "../../../app/routes/webhooks.products.update";
import { action as shopRedact } from "../../../app/routes/webhooks.shop.redact";
import type { ServiceOptions } from "../../../app/services.server";
import { createTestApp } from "../../kit/test-app";
import { signedWebhookRequest } from "../../kit/signed-requests";

export const TEST_SECRET = "sync-tests-secret-5d1c";

type Action = (args: ActionFunctionArgs) => Promise<Response>;

export function loadApp(extraEnv: Record<string, string> = {}, options: ServiceOptions = {}) {
  const app = createTestApp(
    { SHOPIFY_API_KEY: "sync-tests-app", SHOPIFY_API_SECRET: TEST_SECRET, ...extraEnv },
    options,
  );
  const { services } = app;
  const { prisma } = services;
  const routes: Record<string, Action> = {
    "products/create": productsCreate,
    "products/update": productsUpdate,
    "products/delete": productsDelete,
    "app/uninstalled": appUninstalled,
    "shop/redact": shopRedact,
    "bulk_operations/finish": bulkOperationsFinish,
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
      appUrl: app.env.SHOPIFY_APP_URL,
      secret: TEST_SECRET,
      shop,
      topic,
      body,
      webhookId: options.webhookId ?? `wh-${process.pid}-${++deliveries}`,
      hmac: options.hmac,
    });
    return (await app.call(routes[topic], request)).status;
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

  return { ...app, prisma, routes, deliver, install, databaseUrl: app.env.DATABASE_URL };
}

export type LoadedApp = ReturnType<typeof loadApp>;

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
