// Runs the real app server (server.mjs, production build) as a child process.
import { EXIT_WITH_PARENT_MODULE, spawnOwned, terminate } from "./process-lifecycle";
import { waitForHttp } from "./wait-for-http";

export interface RunningApp {
  url: string;
  /** The server's process id (memory measurements read /proc/<pid>/status). */
  pid: number;
  stop(): Promise<void>;
  /** Everything the app wrote to stdout/stderr (JSON log lines), for assertions and debugging. */
  output(): string;
}

export async function startApp(options: {
  port: number;
  env: Record<string, string>;
  echo?: boolean;
  /** Modules preloaded with `node --import` (e.g. the store emulator's fetch seam). */
  imports?: string[];
  /** More node options before server.mjs (e.g. `--cpu-prof`). */
  nodeOptions?: string[];
}): Promise<RunningApp> {
  const preload = [EXIT_WITH_PARENT_MODULE, ...(options.imports ?? [])].flatMap((module) => ["--import", module]);
  const child = spawnOwned(process.execPath, [...preload, ...(options.nodeOptions ?? []), "server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      HOST: "127.0.0.1",
      // The stack passes every setting explicitly; a developer's .env must not leak in.
      ENV_FILE: "/dev/null",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 60_000, isAlive: () => !exited, accept: () => true });
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n--- app output ---\n${output}`);
  }
  return {
    url,
    pid: child.pid ?? 0,
    output: () => output,
    stop: () => terminate(child),
  };
}
