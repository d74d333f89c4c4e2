// Shop lifecycle: install (records the shop, requests the initial import, which the sync engine
// of any app process picks up), uninstall (sessions go, sync stops, data stays), scopes, redact.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { ACTIVE_IMPORT_STATUSES, requestImport } from "./catalog-import.server";

export async function recordInstall(db: PrismaClient, log: Logger, shop: string, scopes: string | undefined) {
  const before = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  const record = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes },
    update: { scopes, uninstalledAt: null, installedAt: new Date() },
  });
  log.info({ shop }, "shop installed");
  // First install, or a reinstall (webhooks were ignored meanwhile): import the catalog.
  const imported = await db.importRun.count({ where: { shop, status: { not: "failed" } } });
  if (!before || before.uninstalledAt || !imported) await requestImport(db, shop);
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
    // Without a token an import cannot go on; a reinstall starts a fresh one.
    db.importRun.updateMany({
      where: { shop, status: { in: [...ACTIVE_IMPORT_STATUSES] } },
      data: { status: "cancelled", finishedAt: new Date(), error: "app uninstalled" },
    }),
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
 * Whether shop/redact may act: the shop was uninstalled when the event happened and has not been
 * installed again since. A shop we have no record of has nothing to protect (a replay after a
 * finished redact, or leftovers), so its traces go. Without the event's time, "uninstalled now".
 */
function uninstalledBefore(record: { uninstalledAt: Date | null } | null, triggeredAt: Date | undefined) {
  if (!record) return true;
  if (!record.uninstalledAt) return false;
  return !triggeredAt || record.uninstalledAt <= triggeredAt;
}

/**
 * shop/redact (48 hours after uninstall): every trace of the shop goes — vector store first (so a
 * failure there leaves the rows that say what to delete, and Shopify's retry finishes the job), then
 * customer data, then sync state, deliveries, sessions and the shop record. A shop installed again
 * since the event keeps everything: the redact is about an installation that no longer exists.
 */
export async function redactShop(
  deps: RedactDependencies,
  shop: string,
  triggeredAt?: Date,
): Promise<"redacted" | "reinstalled"> {
  const { db, log } = deps;
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!uninstalledBefore(record, triggeredAt)) {
    // Also what a lost app/uninstalled looks like: warn, so a person can tell the two apart.
    log.warn(
      { shop, uninstalledAt: record?.uninstalledAt, triggeredAt },
      "shop/redact for a shop installed since the event: nothing deleted",
    );
    return "reinstalled";
  }
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
  return "redacted";
}
