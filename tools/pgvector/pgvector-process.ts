// Starts a local pgvector server (PGlite + pgvector behind the Postgres wire protocol) as a child
// process and stops it cleanly. A test and demo stand-in — single writer, WASM, not for
// production, where PGVECTOR_URL names a real Postgres with pgvector. Used by `npm run pgvector`
// and the test suites' global setup.
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXIT_WITH_PARENT_MODULE, spawnOwned, terminate } from "../lib/process-lifecycle";

const serverScript = fileURLToPath(new URL("./server.mjs", import.meta.url));

export interface RunningPgvector {
  /** postgres://… for `pg` (user and database are PGlite's "postgres"). */
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPgvector(options: {
  /** Data directory; in memory (gone on stop) when absent. */
  dataDir?: string;
  port: number;
  quiet?: boolean;
  /**
   * Postgres' shared_buffers, e.g. "512MB" (default 128MB). A graph larger than it is read through
   * PGlite's file system on every walk, several times slower (decision 140). Reserved at start.
   */
  sharedBuffers?: string;
}): Promise<RunningPgvector> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  if (options.sharedBuffers !== undefined && !/^\d+(kB|MB|GB)$/.test(options.sharedBuffers)) {
    throw new Error(`shared_buffers must be a size such as 512MB; got ${options.sharedBuffers}`);
  }
  const child = spawnOwned(
    process.execPath,
    [
      "--import",
      EXIT_WITH_PARENT_MODULE,
      serverScript,
      String(options.port),
      options.dataDir ?? "",
      options.sharedBuffers ?? "",
    ],
    { stdio: ["ignore", "pipe", options.quiet ? "ignore" : "inherit"] },
  );
  try {
    await listening(child, 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    process: child,
    stop: () => terminate(child),
  };
}

/** Resolves on the child's "listening" line; afterwards its output is passed on (or dropped). */
function listening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => fail(new Error(`pgvector (PGlite) did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (data: Buffer) => {
      seen += data.toString();
      if (!seen.includes("listening\n")) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout?.off("data", onData);
      // Keep reading so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      resolve();
    };
    const onExit = (code: number | null) => fail(new Error(`pgvector (PGlite) exited with ${code} before it listened`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      reject(error);
    }
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}
