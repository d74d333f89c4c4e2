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
