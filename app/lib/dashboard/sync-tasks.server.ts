// Sync controls started from the dashboard. A full import is durable state (ImportRun rows, driven
// by the sync engine); reconciliation and index rebuilds are long calls run in the background of
// this process, so the page answers at once and polls their status here. A second request while
// one is running joins it instead of starting another.
import type { Logger } from "../logger.server";

export type SyncTaskKind = "reconcile" | "rebuild";

export interface SyncTaskState {
  kind: SyncTaskKind;
  status: "running" | "completed" | "failed";
  startedAt: Date;
  finishedAt: Date | null;
  /** Human summary of the outcome ("312 products re-embedded into …"). */
  summary: string | null;
  error: string | null;
}

export class SyncTasks {
  private readonly tasks = new Map<string, SyncTaskState>();

  constructor(private readonly log?: Logger) {}

  private key(shop: string, kind: SyncTaskKind) {
    return `${shop}\n${kind}`;
  }

  get(shop: string, kind: SyncTaskKind): SyncTaskState | null {
    return this.tasks.get(this.key(shop, kind)) ?? null;
  }

  /** Starts `run` unless the same task is already running for the shop; returns the task's state. */
  start(shop: string, kind: SyncTaskKind, run: () => Promise<string>): { state: SyncTaskState; started: boolean } {
    const current = this.get(shop, kind);
    if (current?.status === "running") return { state: current, started: false };
    const state: SyncTaskState = {
      kind,
      status: "running",
      startedAt: new Date(),
      finishedAt: null,
      summary: null,
      error: null,
    };
    this.tasks.set(this.key(shop, kind), state);
    void run().then(
      (summary) => {
        state.status = "completed";
        state.summary = summary;
        state.finishedAt = new Date();
      },
      (error: unknown) => {
        state.status = "failed";
        state.error = error instanceof Error ? error.message : String(error);
        state.finishedAt = new Date();
        this.log?.warn({ shop, kind, err: error }, "dashboard sync task failed");
      },
    );
    return { state, started: true };
  }
}

/** When this process first saw each part down (cleared when it answers again): "unreachable since". */
export class DownSince {
  private readonly since = new Map<string, Date>();

  observe(part: string, down: boolean, at: Date = new Date()): Date | null {
    if (!down) {
      this.since.delete(part);
      return null;
    }
    if (!this.since.has(part)) this.since.set(part, at);
    return this.since.get(part)!;
  }
}
