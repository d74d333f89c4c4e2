import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * The lowest port the OS hands out by itself (to `listen(0)` and to outgoing connections): Linux's
 * configured range, or 32768 (the Linux default; macOS and Windows start at 49152).
 */
function ephemeralRangeStart(): number {
  try {
    const start = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(start) && start > 0) return start;
  } catch {
    // Not Linux: the default below holds there.
  }
  return 32_768;
}

const handedOut = new Set<number>();

/**
 * A free TCP port on loopback, for a server that will listen on it a moment later. Chosen below the
 * OS's ephemeral range: a port the OS picked itself would be free to the OS again once checked, so any
 * `listen(0)` or outgoing connection in between could take it (the app then failed with EADDRINUSE and
 * a proxy that had been given that port forwarded to itself). Falls back to the OS's choice when the
 * ephemeral range leaves no room below it.
 */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralRangeStart();
  for (let attempt = 0; high - low > 1000 && attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  return osChosenPort();
}

function osChosenPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Whether `port` can be listened on at 127.0.0.1 (where every local server of the tools listens). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    // Only "in use" counts: any other refusal (a privileged port) is left for the server's own error.
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code !== "EADDRINUSE"));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface PortHolder {
  pid: number;
  command: string;
}

const quietly = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
  } catch {
    return "";
  }
};

/**
 * The processes listening on `port`, as far as this user may see them: `ss` (Linux) or `lsof`
 * (macOS, and Linux without iproute2). Empty when neither tool is there or the owner is hidden
 * (another user's process without root).
 */
export function portHolders(port: number): PortHolder[] {
  const fromSs = [...quietly("ss", ["-Hltnp", `sport = :${port}`]).matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
  const pids = fromSs.length
    ? fromSs
    : quietly("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-t"])
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
  return [...new Set(pids)].map((pid) => ({ pid, command: processCommand(pid) }));
}

/** A process's command line ("" when it is gone or hidden), through `ps` (Linux and macOS). */
export function processCommand(pid: number): string {
  return quietly("ps", ["-o", "args=", "-p", String(pid)]).trim();
}

export interface PortClaim {
  port: number;
  /** What wants the port, e.g. "Chroma". */
  service: string;
  /** The environment variable that chooses another port. */
  envVar: string;
}

/**
 * Checks that every claimed port is free. Returns null when they all are, otherwise a report for a
 * person: which port, which process holds it (when that can be seen), how to stop it, and which
 * variable picks another port (with a free one suggested).
 */
export async function busyPortsReport(claims: PortClaim[], command: string): Promise<string | null> {
  const busy: (PortClaim & { holders: PortHolder[] })[] = [];
  for (const claim of claims) {
    if (!(await isPortFree(claim.port))) busy.push({ ...claim, holders: portHolders(claim.port) });
  }
  if (!busy.length) return null;
  const taken = new Set(claims.map((claim) => claim.port));
  const alternatives: string[] = [];
  for (const claim of busy) {
    let candidate = claim.port + 1;
    while (taken.has(candidate) || !(await isPortFree(candidate))) candidate++;
    taken.add(candidate);
    alternatives.push(`${claim.envVar}=${candidate}`);
  }
  const lines = busy.map(({ port, service, envVar, holders }) => {
    const owner = holders.length
      ? holders.map((holder) => `pid ${holder.pid}${holder.command ? ` (${shorten(holder.command)})` : ""}`).join(", ")
      : `a process this user cannot see (try: sudo lsof -nP -iTCP:${port} -sTCP:LISTEN)`;
    return `  port ${port} (${service}, ${envVar}): ${owner}`;
  });
  const pids = [...new Set(busy.flatMap((claim) => claim.holders.map((holder) => holder.pid)))];
  return [
    `${command} cannot start: ${busy.length === 1 ? "a port it needs is" : `${busy.length} ports it needs are`} in use.`,
    ...lines,
    ...(pids.length
      ? ["If that is a run left over from before (e.g. after a crash), stop it:", `  kill ${pids.join(" ")}`]
      : []),
    "Or choose other ports:",
    `  ${alternatives.join(" ")} ${command}`,
  ].join("\n");
}

const shorten = (text: string, max = 100) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
