// What the storefront endpoint reads about a shop on the hot path, one indexed read each: whether it
// has the app installed now (the direct stream's token would otherwise outlive an uninstall by up to
// CHAT_TOKEN_TTL_SECONDS), and the storefront origins the app knows for it (its primary domain, read
// from the Admin API at install). Decision 105.
import type { PrismaClient } from "@prisma/client";
import type { AdminAnswer } from "../shopify/admin-graphql";
import type { Logger } from "../logger.server";
import type { StorefrontShops } from "./session.server";

export const SHOP_PRIMARY_DOMAIN_QUERY = `#graphql
  query AisleShopPrimaryDomain {
    shop {
      primaryDomain {
        url
      }
    }
  }
`;

export function storefrontShops(db: PrismaClient): StorefrontShops {
  return {
    async isInstalled(shop) {
      // Installed = the shop's offline session exists (uninstall deletes it); the library's id for it.
      const row = await db.session.findUnique({ where: { id: `offline_${shop}` }, select: { id: true } });
      return row !== null;
    },
    async knownOrigins(shop) {
      const row = await db.shop.findUnique({ where: { domain: shop }, select: { primaryOrigin: true } });
      return row?.primaryOrigin ? [row.primaryOrigin] : [];
    },
  };
}

/** The origin of a URL the Admin API gave, or null when it is not a plain http(s) URL. */
export function originOf(url: unknown): string | null {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * At install (afterAuth): reads the shop's primary domain and keeps it as an allowed storefront
 * origin for that shop alone. Never fails the install: without it the storefront uses the App Proxy.
 */
export async function recordPrimaryOrigin(
  db: PrismaClient,
  log: Logger,
  shop: string,
  query: (
    document: typeof SHOP_PRIMARY_DOMAIN_QUERY,
  ) => Promise<{ data?: AdminAnswer<typeof SHOP_PRIMARY_DOMAIN_QUERY> | null }>,
): Promise<string | null> {
  try {
    // Typed by codegen, but still Shopify's answer: originOf checks the URL.
    const body = await query(SHOP_PRIMARY_DOMAIN_QUERY);
    const origin = originOf(body?.data?.shop?.primaryDomain?.url);
    await db.shop.updateMany({ where: { domain: shop }, data: { primaryOrigin: origin } });
    return origin;
  } catch (error) {
    log.warn({ err: error, shop }, "could not read the shop's primary domain; its storefront uses the App Proxy");
    return null;
  }
}
