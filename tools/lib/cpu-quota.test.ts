import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCpuQuotaGroup, findCpuController, inGroup, quotaFor, throttling } from "./cpu-quota";
import { exitOf } from "./process-lifecycle";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A directory laid out like a cgroup mount (the files the code reads), for the layouts this machine lacks. */
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "aisle-cgroup-"));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe("CPU quota groups", () => {
  it("computes the quota per scheduler period and refuses a quota that is not a positive number", () => {
    expect(quotaFor(0.5, 100_000)).toBe(50_000);
    expect(quotaFor(1.5, 100_000)).toBe(150_000);
    // Below the kernel's 1 ms minimum a quota is rounded up to it rather than refused by the kernel.
    expect(quotaFor(0.001, 100_000)).toBe(1000);
    expect(() => quotaFor(0, 100_000)).toThrow(/positive number/);
    expect(() => quotaFor(Number.NaN, 100_000)).toThrow(/positive number/);
  });

  it("finds cgroup v2 (unified, with cpu), else the v1 cpu controller, else nothing", () => {
    const v2 = fakeRoot({ "cgroup.controllers": "cpuset cpu io memory pids\n" });
    expect(findCpuController(v2)).toEqual({ version: 2, dir: v2 });
    expect(findCpuController(fakeRoot({ "cgroup.controllers": "memory pids\n" }))).toBeUndefined();
    const v1 = fakeRoot({ "cpu/cpu.cfs_period_us": "100000\n" });
    expect(findCpuController(v1)).toEqual({ version: 1, dir: path.join(v1, "cpu") });
    expect(findCpuController(fakeRoot({}))).toBeUndefined();
  });

  it("writes cpu.max on cgroup v2, handing the cpu controller down first", () => {
    const root = fakeRoot({ "cgroup.controllers": "cpu memory\n", "cgroup.subtree_control": "memory\n" });
    const group = createCpuQuotaGroup("bench-v2", 0.5, root);
    expect(readFileSync(path.join(root, "bench-v2", "cpu.max"), "utf8")).toBe("50000 100000");
    expect(readFileSync(path.join(root, "cgroup.subtree_control"), "utf8")).toBe("+cpu");
    expect(group.procsFile).toBe(path.join(root, "bench-v2", "cgroup.procs"));
  });

  it("writes cpu.cfs_quota_us from the v1 controller's own period", () => {
    const root = fakeRoot({ "cpu/cpu.cfs_period_us": "250000\n" });
    createCpuQuotaGroup("bench-v1", 0.5, root);
    expect(readFileSync(path.join(root, "cpu", "bench-v1", "cpu.cfs_quota_us"), "utf8")).toBe("125000");
  });

  it("reads how many scheduler periods ran out of quota from cpu.stat", () => {
    const root = fakeRoot({ "cpu/cpu.cfs_period_us": "100000\n" });
    const group = createCpuQuotaGroup("bench-stat", 0.5, root);
    writeFileSync(path.join(group.dir, "cpu.stat"), "nr_periods 400\nnr_throttled 100\nthrottled_time 5\n");
    expect(throttling(group)).toEqual({ periods: 400, throttled: 100 });
  });

  it("says clearly why there is no quota, and creates nothing", () => {
    const root = fakeRoot({});
    expect(() => createCpuQuotaGroup("bench", 0.5, root)).toThrow(
      /CPU quota per process needs a writable cgroup cpu controller .*no cpu controller under/,
    );
    // A controller that cannot be written (here: its period is unreadable as a directory) leaves no group behind.
    const broken = fakeRoot({ "cpu/cpu.cfs_period_us/x": "" });
    expect(() => createCpuQuotaGroup("bench", 0.5, broken)).toThrow(/writable cgroup cpu controller/);
    expect(existsSync(path.join(broken, "cpu", "bench"))).toBe(false);
  });

  it("starts a command inside the group with the command's own pid", async () => {
    const root = fakeRoot({ "cpu/cpu.cfs_period_us": "100000\n" });
    const group = createCpuQuotaGroup("bench-spawn", 1, root);
    const [command, args] = inGroup(group, process.execPath, ["-e", "console.log(process.pid)"]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    expect(await exitOf(child)).toBe(0);
    expect(readFileSync(group.procsFile, "utf8").trim()).toBe(output.trim());
    expect(output.trim()).toBe(String(child.pid));
  });

  const realV1 = (() => {
    try {
      accessSync("/sys/fs/cgroup/cpu/cgroup.procs", constants.W_OK);
      return findCpuController()?.version === 1;
    } catch {
      return false;
    }
  })();

  // Needs root and the kernel's cgroup v1 cpu controller (the machines the benchmarks run on).
  it.runIf(realV1)("on a real cgroup, the process and its children run under the quota until removed", async () => {
    const group = createCpuQuotaGroup(`aisle-test-${process.pid}`, 0.25);
    expect(readFileSync(path.join(group.dir, "cpu.cfs_quota_us"), "utf8").trim()).toBe("25000");
    const [command, args] = inGroup(group, "sh", ["-c", "sleep 30 & echo $!; wait"]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    const grandchild = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    const members = readFileSync(group.procsFile, "utf8").trim().split("\n");
    expect(members).toEqual(expect.arrayContaining([String(child.pid), grandchild]));
    expect(readFileSync(`/proc/${grandchild}/cgroup`, "utf8")).toContain(`cpu:/aisle-test-${process.pid}`);
    expect(throttling(group).periods).toBeGreaterThanOrEqual(0);
    process.kill(Number(grandchild), "SIGKILL");
    await exitOf(child);
    await group.remove();
    expect(existsSync(group.dir)).toBe(false);
  });
});
