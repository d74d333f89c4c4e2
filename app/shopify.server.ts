// The app's shopifyApp(): auth, webhook verification, app proxy and Admin API clients. Built once by
// the composition root (app/services.server.ts); routes reach it as `context.services.shopify`.
import "@shopify/shopify-app-remix/adapters/node";
import type { PrismaClient } from "@prisma/client";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Env } from "./lib/config/env-schema";
import type { Logger } from "./lib/logger.server";
import { recordPrimaryOrigin } from "./lib/storefront/storefront-shops.server";
import { recordInstall } from "./lib/sync/shop-lifecycle.server";

/** The Admin API version every query of the app is written (and validated) against. */
export const SHOPIFY_API_VERSION = ApiVersion.July26;

const severityToLevel = {
  [LogSeverity.Error]: "error",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Info]: "info",
  [LogSeverity.Debug]: "debug",
} as const;

/** The Shopify libraries' messages through the app's logger. */
function libraryLogger(env: Env, log: Logger) {
  const shopifyLog = log.child({ component: "shopify" });
  return {
    level: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" ? LogSeverity.Debug : LogSeverity.Info,
    log: (severity: LogSeverity, message: string) => shopifyLog[severityToLevel[severity]](message),
  };
}

export function createShopify(env: Env, prisma: PrismaClient, log: Logger) {
  return shopifyApp({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: SHOPIFY_API_VERSION,
    scopes: env.SCOPES,
    appUrl: env.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: new PrismaSessionStorage(prisma),
    distribution: AppDistribution.AppStore,
    // Managed install + token exchange: no OAuth redirects inside the admin iframe.
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    logger: libraryLogger(env, log),
    hooks: {
      afterAuth: async ({ session, admin }) => {
        await recordInstall(prisma, log, session.shop, session.scope);
        // Its primary domain may stream chat answers from the app for this shop (decision 105).
        await recordPrimaryOrigin(prisma, log, session.shop, (query) => admin.graphql(query).then((r) => r.json()));
      },
    },
    ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
  });
}

export type ShopifyApp = ReturnType<typeof createShopify>;

/**
 * The library's pure webhook check (HMAC over the raw body, required headers) and its session ids,
 * from @shopify/shopify-api itself: shopifyApp() does not expose them without `authenticate.webhook`,
 * which loads and refreshes the shop's token first (decision 093).
 */
export function createWebhookVerifier(env: Env, log: Logger) {
  const appUrl = new URL(env.SHOPIFY_APP_URL);
  const api = shopifyApi({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: SHOPIFY_API_VERSION,
    scopes: env.SCOPES,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: libraryLogger(env, log),
  });
  return {
    validate: api.webhooks.validate,
    offlineSessionId: (shop: string) => api.session.getOfflineId(shop),
  };
}

export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;
