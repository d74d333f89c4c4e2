// Calls to a worker thread by message, for the work that must not hold the event loop: the local
// embedding model (decision 117) and SQLite's full-text ranking (decision 143). Each call posts
// { id, ...message }; the thread answers { id, result } or { id, error }.
import type { Worker } from "node:worker_threads";

type Reply = { id: number; result: unknown; error?: undefined } | { id: number; error: string };

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface Running {
  worker: Worker;
  pending: Map<number, Pending>;
}

export interface WorkerThreadOptions {
  /** Starts the thread (the seam tests hold the handle through). */
  spawn: () => Worker;
  /** What the thread is, in errors: "The local embeddings thread stopped …". */
  name: string;
  /** Prefix of the error a call rejects with when the thread answers with one. */
  replyErrorPrefix: string;
}

/**
 * A thread started on the first call. A thread that exits (crash, terminate) rejects the calls
 * pending on it and the next call starts a new one; an idle thread does not keep the process alive.
 */
export class WorkerThreadClient {
  private running: Running | undefined;
  private nextId = 0;

  constructor(private readonly options: WorkerThreadOptions) {}

  call<T>(message: Record<string, unknown>): Promise<T> {
    const { worker, pending } = this.current();
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      // Keeps the process alive while work is out; an idle thread does not (see `current`).
      if (pending.size === 1) worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  /** Stops the thread; calls still pending reject, and the next call starts a new thread. */
  async close(): Promise<void> {
    await this.running?.worker.terminate();
  }

  private current(): Running {
    if (this.running) return this.running;
    const worker = this.options.spawn();
    const running: Running = { worker, pending: new Map() };
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const call = running.pending.get(reply.id);
      if (!call) return;
      running.pending.delete(reply.id);
      if (running.pending.size === 0) worker.unref();
      if (reply.error === undefined) call.resolve(reply.result);
      else call.reject(new Error(`${this.options.replyErrorPrefix}: ${reply.error}`));
    });
    let crash: Error | undefined;
    worker.on("error", (error) => {
      crash = error;
    });
    worker.on("exit", (code) => {
      if (this.running === running) this.running = undefined;
      const reason = crash ? `crashed: ${crash.message}` : `stopped with exit code ${code}`;
      const error = new Error(`The ${this.options.name} thread ${reason}; the next call starts a new one`, {
        cause: crash,
      });
      for (const call of running.pending.values()) call.reject(error);
      running.pending.clear();
    });
    this.running = running;
    return running;
  }
}
