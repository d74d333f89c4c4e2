// The background loop of a database-backed worker (sync workers, lifecycle jobs): run a pass, and
// when it found nothing to do, sleep `idleMs` or until nudged. The work itself lives in the
// database, so stopping (or dying) between passes loses nothing.

/**
 * What a pass did: `true` worked (the next pass runs at once), `false` found nothing to do (sleep until
 * nudged or `idleMs`), `"failed"` its work failed, e.g. the vector store or customer store is down.
 */
export type PassOutcome = boolean | "failed";

export class PollLoop {
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private nudgeable = false;

  constructor(
    private readonly pass: () => Promise<PassOutcome>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(idleMs: number) {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let outcome: PassOutcome = "failed";
        try {
          outcome = await this.pass();
        } catch (error) {
          this.onError(error);
        }
        if (outcome === true || this.stopping) continue;
        // After a failure new work does not wake the loop: it would fail the same way, and each pass
        // competes with the webhooks for the process (CPU, SQLite's one connection). A webhook burst
        // during an outage would otherwise run a failing pass per delivery (issue 14, W5).
        await this.idle(idleMs, outcome === false);
      }
    })();
  }

  private async idle(idleMs: number, nudgeable: boolean) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      timer.unref();
      this.nudgeable = nudgeable;
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    this.nudgeable = false;
  }

  /** New work arrived: skip the idle wait (not the pause after a failed pass). */
  nudge() {
    if (this.nudgeable) this.wake?.();
  }

  async stop() {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }
}
