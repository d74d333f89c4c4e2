// The sync controls' actions for one shop: a full import (durable, driven by the sync engine),
// reconciliation and an index rebuild (background tasks of this process, see sync-tasks.server.ts).
import { z } from "zod";
import type { SyncTasks, SyncTaskState } from "./sync-tasks.server";

export const syncControlSchema = z.object({
  intent: z.enum(["import", "reconcile", "rebuild"], { message: "Unknown sync action" }),
});

export type SyncControl = z.infer<typeof syncControlSchema>["intent"];

export interface SyncControlDependencies {
  requestImport(shop: string): Promise<{ id: string; status: string }>;
  reconcile(shop: string): Promise<{ missing: number; extra: number; stale: number; index: number; total?: number }>;
  rebuild(shop: string): Promise<{ collection: string; products: number }>;
  tasks: SyncTasks;
}

export type SyncControlResult =
  | { ok: true; intent: "import"; importId: string; message: string }
  | { ok: true; intent: "reconcile" | "rebuild"; task: SyncTaskState; message: string }
  | { ok: false; error: string };

export async function runSyncControl(
  deps: SyncControlDependencies,
  shop: string,
  input: Record<string, unknown>,
): Promise<SyncControlResult> {
  const parsed = syncControlSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid request" };
  const { intent } = parsed.data;
  if (intent === "import") {
    try {
      const run = await deps.requestImport(shop);
      return { ok: true, intent, importId: run.id, message: "Import started" };
    } catch (error) {
      return { ok: false, error: `Could not start the import: ${(error as Error).message}` };
    }
  }
  if (intent === "reconcile") {
    const { state, started } = deps.tasks.start(shop, "reconcile", async () => {
      const report = await deps.reconcile(shop);
      const total = report.total ?? report.missing + report.extra + report.stale + report.index;
      return total
        ? `${total} difference${total === 1 ? "" : "s"} found and queued (missing ${report.missing}, extra ${report.extra}, stale ${report.stale}, index ${report.index})`
        : "Shopify and the index agree: no differences";
    });
    return { ok: true, intent, task: state, message: started ? "Reconciliation started" : "Already reconciling" };
  }
  const { state, started } = deps.tasks.start(shop, "rebuild", async () => {
    const result = await deps.rebuild(shop);
    return `${result.products} product${result.products === 1 ? "" : "s"} re-embedded into ${result.collection}; search switched over`;
  });
  return { ok: true, intent, task: state, message: started ? "Rebuild started" : "Already rebuilding" };
}
