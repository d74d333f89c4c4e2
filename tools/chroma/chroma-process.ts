// Starts a local Chroma server as a child process, waits for its heartbeat, stops it cleanly.
// Used by `npm run chroma`, `npm run demo` and the test suites.
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnOwned, terminate } from "../lib/process-lifecycle";
import { waitForHttp } from "../lib/wait-for-http";

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "server.cjs");

export interface RunningChroma {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startChroma(options: { dataDir: string; port: number; quiet?: boolean }): Promise<RunningChroma> {
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawnOwned(process.execPath, [serverScript, options.dataDir, String(options.port)], {
    stdio: options.quiet ? "ignore" : ["ignore", "inherit", "inherit"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" },
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/api/v2/heartbeat`, {
      timeoutMs: 30_000,
      isAlive: () => !exited,
      accept: (s) => s === 200,
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    port: options.port,
    process: child,
    stop: () => terminate(child),
  };
}
