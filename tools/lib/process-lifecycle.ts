// Everything a local tool (demo, stack, tests) starts, and how it all stops: child processes are
// tracked from the moment they are spawned, so an interrupt in the middle of a start still stops
// the ones already running; in-process servers register their stop functions here too.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Preloaded into node children (`node --import`): they stop themselves when this process dies
 * without stopping them (SIGKILL, crash), which no signal handler here can cover.
 */
export const EXIT_WITH_PARENT_MODULE = fileURLToPath(new URL("./exit-with-parent.mjs", import.meta.url));

type Cleanup = () => Promise<void>;
/** Longest a stop may take before what is left is killed (each child gets 5 s to exit on SIGTERM). */
const STOP_TIMEOUT_MS = 15_000;

// Insertion order is start order; cleanups run in reverse, so the app stops before the Chroma and
// emulator it talks to (no burst of connection errors on the way out).
const cleanups = new Set<Cleanup>();
const children = new Set<ChildProcess>();
let stopping: Promise<void> | undefined;

// Last resort when the process exits without running the cleanups (uncaught error, process.exit):
// exit handlers cannot wait, but a SIGTERM sent now still lets each child shut down on its own.
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});

/** Registers work to do when everything stops; returns a function that unregisters it. */
export function registerCleanup(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Runs every registered cleanup once, newest first. Safe to call more than once (same promise). */
export function stopEverything(): Promise<void> {
  stopping ??= (async () => {
    for (const cleanup of [...cleanups].reverse()) {
      cleanups.delete(cleanup);
      await cleanup().catch((error: unknown) => console.error(`While stopping: ${(error as Error).message}`));
    }
  })();
  return stopping;
}

export const isStopping = (): boolean => stopping !== undefined;

/**
 * Spawns a child that `stopEverything()` terminates and that dies with this process: its pid is
 * handed over in AISLE_PARENT_PID for `exit-with-parent.mjs`, which node children preload.
 */
export function spawnOwned(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  // A start still under way when the stop began must not add a process the stop has already passed.
  if (isStopping()) throw new Error(`not starting ${path.basename(command)}: stopping`);
  const child = spawn(command, args, {
    ...options,
    env: { ...(options.env ?? process.env), AISLE_PARENT_PID: String(process.pid) },
  });
  children.add(child);
  const unregister = registerCleanup(() => terminate(child));
  child.once("exit", () => {
    children.delete(child);
    unregister();
  });
  // A failed spawn (ENOENT) emits "error" and no "exit".
  child.once("error", () => {
    children.delete(child);
    unregister();
  });
  return child;
}

/** The child's exit code once it has exited and its output is read (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`; resolves once it has exited. */
export function terminate(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), graceMs).unref();
  });
}

/**
 * Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) stop everything, then exit 0: stopping
 * is what the user asked for, not a failure. Install it before starting anything, so no moment of
 * a start is left uncovered. Further signals while stopping are ignored (one Ctrl-C can arrive
 * twice: from the terminal and relayed by a wrapper such as npm or tsx); the stop itself is bounded.
 */
export function stopOnSignals(options: { message?: string } = {}): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (isStopping()) return;
      if (options.message) console.log(options.message);
      setTimeout(() => {
        for (const child of children) child.kill("SIGKILL");
        process.exit(1);
      }, STOP_TIMEOUT_MS).unref();
      void stopEverything().then(() => process.exit(0));
    });
  }
}

/**
 * Runs a tool's main with everything it started stopped at the end, on failure and on a signal
 * (with `stopMessage` then); a failure is printed and sets a failing exit code.
 */
export function runOwningProcesses(main: () => Promise<void>, stopMessage: string): void {
  stopOnSignals({ message: stopMessage });
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => stopEverything());
}
