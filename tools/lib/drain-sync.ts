// Runs a sync worker's passes back to back until nothing is due: what a running engine does over
// time, done at once for tests and benchmarks (the app's workers drain in their own loop).
import type { DrainResult, SyncWorker } from "../../app/lib/sync/sync-worker.server";

type Drainable = Pick<SyncWorker, "drainOnce"> | { workers: readonly Pick<SyncWorker, "drainOnce">[] };

/** Drains until a pass claims nothing; stops early after `maxBatches` passes. */
export async function drainSync(target: Drainable, maxBatches = Number.POSITIVE_INFINITY): Promise<DrainResult> {
  const worker = "workers" in target ? target.workers[0] : target;
  const total: DrainResult = { claimed: 0, embedded: 0, metadataUpdated: 0, removed: 0, unchanged: 0, failed: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const batch = await worker.drainOnce();
    for (const key of Object.keys(total) as (keyof DrainResult)[]) total[key] += batch[key];
    if (!batch.claimed) break;
  }
  return total;
}
