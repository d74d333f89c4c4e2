// Retention of the app's operational rows (docs/decisions/102): webhook delivery records, sync lag
// samples and finished lifecycle jobs are deleted once older than their setting (0 keeps them).
// Data exports follow the customer store's retention (app/lib/customers/privacy.server.ts). Deletes
// are idempotent, so several app processes running this at once is harmless.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";

export interface RetentionSettings {
  /** WebhookDelivery rows and finished (done) lifecycle jobs. */
  webhookDeliveryDays: number;
  syncLagSampleDays: number;
}

const DAY_MS = 86_400_000;

export async function pruneOperationalRows(
  db: PrismaClient,
  log: Logger,
  settings: RetentionSettings,
  now = new Date(),
): Promise<{ deliveries: number; lifecycleJobs: number; lagSamples: number }> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const pruned = { deliveries: 0, lifecycleJobs: 0, lagSamples: 0 };
  if (settings.webhookDeliveryDays > 0) {
    const cutoff = before(settings.webhookDeliveryDays);
    pruned.deliveries = (await db.webhookDelivery.deleteMany({ where: { receivedAt: { lt: cutoff } } })).count;
    // Failed jobs stay: they are what a person still has to look at.
    pruned.lifecycleJobs = (
      await db.lifecycleJob.deleteMany({ where: { status: "done", finishedAt: { lt: cutoff } } })
    ).count;
  }
  if (settings.syncLagSampleDays > 0) {
    const cutoff = before(settings.syncLagSampleDays);
    pruned.lagSamples = (await db.syncLagSample.deleteMany({ where: { recordedAt: { lt: cutoff } } })).count;
  }
  if (pruned.deliveries || pruned.lifecycleJobs || pruned.lagSamples) log.info(pruned, "old operational rows pruned");
  return pruned;
}
