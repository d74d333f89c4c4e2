// The background loop of a database-backed worker (sync workers, lifecycle jobs): run a pass, and
// when it found nothing to do, sleep `idleMs` or until nudged. The work itself lives in the
// database, so stopping (or dying) between passes loses nothing.
export class PollLoop {
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  /** `pass` says whether it did any work (then the next pass runs at once). */
  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(idleMs: number) {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let worked = false;
        try {
          worked = await this.pass();
        } catch (error) {
          this.onError(error);
        }
        if (!worked && !this.stopping) await this.idle(idleMs);
      }
    })();
  }

  private async idle(idleMs: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** New work arrived: skip the idle wait. */
  nudge() {
    this.wake?.();
  }

  async stop() {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }
}
