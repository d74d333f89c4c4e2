// Install / uninstall bookkeeping for the Shop record. Full cleanup (shop/redact) and
// import-on-install live beside it as the sync engine grows.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";

export async function recordInstall(db: PrismaClient, log: Logger, shop: string, scopes: string | undefined) {
  const record = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes },
    update: { scopes, uninstalledAt: null, installedAt: new Date() },
  });
  log.info({ shop }, "shop installed");
  return record;
}

/**
 * app/uninstalled: the shop's access tokens are dead, so sessions go at once and the shop is
 * marked uninstalled (sync stops). Catalog and chat data stay until shop/redact, 48 hours later.
 */
export async function recordUninstall(db: PrismaClient, log: Logger, shop: string) {
  const [sessions] = await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: new Date() } }),
  ]);
  log.info({ shop, sessionsDeleted: sessions.count }, "shop uninstalled");
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function recordScopesUpdate(db: PrismaClient, shop: string, scopes: string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
}

export interface RedactDependencies {
  db: PrismaClient;
  log: Logger;
  /** Drops the shop's collections from the vector store (ProductIndex.dropShop). */
  dropIndex: (shop: string) => Promise<void>;
  /** Customers, conversations, exports… (app/lib/customers deleteShopData). */
  deleteCustomerData?: (shop: string) => Promise<unknown>;
}

/**
 * shop/redact (48 hours after uninstall): every trace of the shop goes — vector store first (so a
 * failure there leaves the rows that say what to delete, and Shopify's retry finishes the job), then
 * customer data, then sync state, deliveries, sessions and the shop record.
 */
export async function redactShop(deps: RedactDependencies, shop: string) {
  const { db, log } = deps;
  await deps.dropIndex(shop);
  await deps.deleteCustomerData?.(shop);
  const counts = await db.$transaction([
    db.productSync.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.importRun.deleteMany({ where: { shop } }),
    db.syncLagSample.deleteMany({ where: { shop } }),
    db.syncShopStats.deleteMany({ where: { shop } }),
    db.session.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { domain: shop } }),
  ]);
  log.info({ shop, products: counts[0].count, deliveries: counts[1].count }, "shop redacted");
}
