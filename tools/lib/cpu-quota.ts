// A CPU quota for a group of processes (Linux cgroups), so a benchmark can give each app process the
// CPU of its own small host while the shared services (Postgres, Chroma, the load generator) stay
// outside the quota. cgroup v2 (`cpu.max`) when /sys/fs/cgroup is the unified hierarchy, else the
// cgroup v1 `cpu` controller (`cpu.cfs_quota_us`). Creating a group needs root or a delegated
// subtree; without one the caller gets an error saying so, and nothing is created.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { registerCleanup } from "./process-lifecycle";

export interface CpuController {
  version: 1 | 2;
  /** The directory groups are created in. */
  dir: string;
}

export interface CpuQuotaGroup {
  dir: string;
  /** Writing a pid here moves that process (and the children it starts afterwards) into the group. */
  procsFile: string;
  cpus: number;
  remove(): Promise<void>;
}

/** The kernel refuses quotas under 1 ms a period. */
const MIN_QUOTA_US = 1000;

/** Where the cpu controller is mounted under `root`, or undefined when there is none. */
export function findCpuController(root = "/sys/fs/cgroup"): CpuController | undefined {
  const unified = path.join(root, "cgroup.controllers");
  if (existsSync(unified)) {
    return readFileSync(unified, "utf8").split(/\s+/).includes("cpu") ? { version: 2, dir: root } : undefined;
  }
  const v1 = path.join(root, "cpu");
  return existsSync(path.join(v1, "cpu.cfs_period_us")) ? { version: 1, dir: v1 } : undefined;
}

/** The quota for `cpus` CPUs in one scheduler period: what each version's control file takes. */
export function quotaFor(cpus: number, periodUs: number): number {
  if (!Number.isFinite(cpus) || cpus <= 0) throw new Error(`a CPU quota must be a positive number, got ${cpus}`);
  return Math.max(MIN_QUOTA_US, Math.round(cpus * periodUs));
}

function unavailable(reason: string): Error {
  return new Error(
    `a CPU quota per process needs a writable cgroup cpu controller (run as root, or with a delegated cgroup ` +
      `subtree): ${reason}`,
  );
}

/**
 * Creates the group `name` limited to `cpus` CPUs and registers its removal with the process
 * lifecycle (Ctrl-C included). Remove it only after its processes have exited.
 */
export function createCpuQuotaGroup(name: string, cpus: number, root = "/sys/fs/cgroup"): CpuQuotaGroup {
  const controller = findCpuController(root);
  if (!controller) throw unavailable(`no cpu controller under ${root}`);
  const dir = path.join(controller.dir, name);
  try {
    if (controller.version === 2) {
      // Children of a v2 group get cpu.max only when the parent hands the controller down.
      const subtree = path.join(controller.dir, "cgroup.subtree_control");
      if (!readFileSync(subtree, "utf8").split(/\s+/).includes("cpu")) writeFileSync(subtree, "+cpu");
      mkdirSync(dir);
      const period = 100_000;
      writeFileSync(path.join(dir, "cpu.max"), `${quotaFor(cpus, period)} ${period}`);
    } else {
      const period = Number(readFileSync(path.join(controller.dir, "cpu.cfs_period_us"), "utf8"));
      mkdirSync(dir);
      writeFileSync(path.join(dir, "cpu.cfs_quota_us"), String(quotaFor(cpus, period)));
    }
  } catch (error) {
    if (existsSync(dir)) rmdirSync(dir);
    throw unavailable((error as Error).message);
  }
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    unregister();
    // A killed process leaves the group a moment after its exit is reported.
    for (let tries = 0; ; tries++) {
      try {
        return rmdirSync(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return;
        if (code !== "EBUSY" || tries >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const unregister = registerCleanup(remove);
  return { dir, procsFile: path.join(dir, "cgroup.procs"), cpus, remove };
}

/** Scheduler periods so far, and how many of them the group ran out of quota in (both cgroup versions). */
export function throttling(group: CpuQuotaGroup): { periods: number; throttled: number } {
  const stat = Object.fromEntries(
    readFileSync(path.join(group.dir, "cpu.stat"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" ")),
  );
  return { periods: Number(stat.nr_periods ?? 0), throttled: Number(stat.nr_throttled ?? 0) };
}

/**
 * The command line that starts `command` inside the group: a shell moves itself in, then execs the
 * command (same pid), so everything it starts later inherits the group.
 */
export function inGroup(group: CpuQuotaGroup, command: string, args: string[]): [string, string[]] {
  return ["sh", ["-c", 'echo $$ > "$0" && exec "$@"', group.procsFile, command, ...args]];
}
