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
 * app/uninstalled (run as a lifecycle job): the shop's access tokens are dead, so sessions go and
 * the shop is marked uninstalled as of the event (sync stops). Catalog and chat data stay until
 * shop/redact, 48 hours later. A shop installed again after the event keeps its new sessions: a
 * late or retried job must not undo a reinstall.
 */
export async function recordUninstall(
  db: PrismaClient,
  log: Logger,
  shop: string,
  at = new Date(),
): Promise<"uninstalled" | "reinstalled"> {
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { installedAt: true } });
  if (record && record.installedAt > at) {
    log.warn({ shop }, "app/uninstalled for a shop installed again since the event: nothing changed");
    return "reinstalled";
  }
  const [sessions] = await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: at } }),
    // Without a token an import cannot go on; a reinstall starts a fresh one.
    db.importRun.updateMany({
      where: { shop, status: { in: [...ACTIVE_IMPORT_STATUSES] } },
      data: { status: "cancelled", activeFor: null, finishedAt: new Date(), error: "app uninstalled" },
    }),
  ]);
  log.info({ shop, sessionsDeleted: sessions.count }, "shop uninstalled");
  return "uninstalled";
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function recordScopesUpdate(db: PrismaClient, shop: string, scopes: string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
}

/**
 * Whether shop/redact may act: the shop was uninstalled when the event happened and has not been
 * installed again since. A shop we have no record of has nothing to protect (a replay after a
 * finished redact, or leftovers), so its traces go.
 */
export async function redactAllowed(db: PrismaClient, shop: string, eventAt: Date): Promise<boolean> {
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!record) return true;
  return Boolean(record.uninstalledAt && record.uninstalledAt <= eventAt);
}

/**
 * The last step of shop/redact, after the vector store and the customer store: sync state,
 * deliveries, sessions, assistant settings, chat limits and the shop record, in one transaction.
 */
export async function deleteShopRows(db: PrismaClient, shop: string) {
  const counts = await db.$transaction([
    db.productSync.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.importRun.deleteMany({ where: { shop } }),
    db.syncLagSample.deleteMany({ where: { shop } }),
    db.syncShopStats.deleteMany({ where: { shop } }),
    db.session.deleteMany({ where: { shop } }),
    db.assistantSettings.deleteMany({ where: { shop } }),
    db.chatTokenUsage.deleteMany({ where: { shop } }),
    // Rate windows are keyed "shop:<shop>" and "visitor:<shop>:<visitor>".
    db.chatRateWindow.deleteMany({
      where: { OR: [{ key: `shop:${shop}` }, { key: { startsWith: `visitor:${shop}:` } }] },
    }),
    // Store knowledge (decision 125): passages before their sources, the merchant's Q&A, the refresh state.
    db.knowledgePassage.deleteMany({ where: { shop } }),
    db.knowledgeSource.deleteMany({ where: { shop } }),
    db.knowledgeQuestion.deleteMany({ where: { shop } }),
    db.knowledgeRefresh.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { domain: shop } }),
  ]);
  return { products: counts[0].count, deliveries: counts[1].count };
}
