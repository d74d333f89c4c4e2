// `npm run demo` the way a user runs it, over and over in one clone (one data directory): the
// first run imports, a second run reuses the shop and refreshes it, `--reset` starts over, and a
// Ctrl-C at any moment (after ready, during the start, during the import) leaves no process and
// no port behind. A port already taken is reported with what to do instead of a hang.
// Ctrl-C is what a terminal sends: SIGINT to the whole foreground process group, so each run gets
// a process group of its own (detached) and the test signals the group.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, isPortFree } from "../../tools/lib/ports";
import { assertBuilt } from "../../tools/stack";

const READY = /Ctrl-C stops everything\./;
const RUN_TIMEOUT_MS = 300_000;

let workDir: string;
let demoDir: string;
let ports: { PORT: number; CHROMA_PORT: number; STORE_EMULATOR_PORT: number; STOREFRONT_PORT: number };
let env: Record<string, string | undefined>;
const runs: DemoRun[] = [];

beforeAll(async () => {
  assertBuilt();
  workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-demo-lifecycle-"));
  demoDir = path.join(workDir, "demo");
  mkdirSync(path.join(workDir, "tmp"));
  // Free ports of its own: a developer's demo on the default ports keeps running undisturbed.
  const chosen = new Set<number>();
  while (chosen.size < 4) chosen.add(await freePort());
  const [app, chroma, emulator, storefront] = [...chosen];
  ports = { PORT: app, CHROMA_PORT: chroma, STORE_EMULATOR_PORT: emulator, STOREFRONT_PORT: storefront };
  // A user's environment, not the test runner's.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_ENV"),
  );
  env = {
    ...inherited,
    ...Object.fromEntries(Object.entries(ports).map(([key, port]) => [key, String(port)])),
    AISLE_DEMO_DIR: demoDir,
    // Anything the demo puts in a temp dir lands here, where the test can see it is cleaned up.
    TMPDIR: path.join(workDir, "tmp"),
  };
});

afterAll(() => {
  // A failed assertion must not leave a demo running on the machine.
  for (const run of runs) run.kill("SIGKILL");
  for (const pid of processesUsing(demoDir)) process.kill(pid, "SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== "linux")("npm run demo, run after run in one clone", () => {
  it("reports a port that is taken, with the holder and what to do, instead of starting", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.CHROMA_PORT, "127.0.0.1", resolve));
    try {
      const run = new DemoRun();
      expect(await run.exited).toBe(1);
      expect(run.output).toContain(`port ${ports.CHROMA_PORT} (Chroma, CHROMA_PORT): pid ${process.pid}`);
      expect(run.output).toContain(`kill ${process.pid}`);
      expect(run.output).toMatch(/CHROMA_PORT=\d+ npm run demo/);
      expect(processesUsing(demoDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it("first run: imports the catalog, prints the ready banner, and Ctrl-C stops everything", async () => {
    const run = new DemoRun();
    await run.waitFor(READY, RUN_TIMEOUT_MS);
    expect(run.output).toMatch(/Catalog import \[#+\] 320\/320 \(100%\) done/);
    expectReadyBanner(run.output);
    await stopAndExpectNothingLeft(run);
  }, 360_000);

  it("second run in the same clone: shows the shop's state, refreshes it, and is ready again", async () => {
    const run = new DemoRun();
    await run.waitFor(READY, RUN_TIMEOUT_MS);
    expect(run.output).toMatch(
      /The app knows this shop from an earlier run: [1-9]\d* products searchable, last import completed/,
    );
    expect(run.output).toMatch(/Catalog import \[#+\] 320\/320 \(100%\) done/);
    expect(run.output).not.toContain("waiting");
    expectReadyBanner(run.output);
    await stopAndExpectNothingLeft(run);
  }, 360_000);

  it("Ctrl-C while the stack is still starting (Chroma up, app not yet) leaves nothing behind", async () => {
    const run = new DemoRun();
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    // Chroma is started first and is the one that used to be left behind.
    while (!processesUsing(path.join(demoDir, "chroma")).length) {
      if (Date.now() > deadline) throw new Error(`Chroma never started:\n${run.output}`);
      await sleep(100);
    }
    expect(run.output).not.toMatch(READY);
    await stopAndExpectNothingLeft(run);
  }, 360_000);

  it("--reset starts over; Ctrl-C in the middle of the import leaves nothing behind", async () => {
    const run = new DemoRun(["--reset"]);
    const progress = /Catalog import \[#+-+\] ([1-9]\d*)\/320 \(\d+%\) indexing/;
    await run.waitFor(progress, RUN_TIMEOUT_MS);
    expect(run.output).toContain("Starting over");
    expect(run.output).not.toContain("earlier run");
    expect(run.output).not.toMatch(READY);
    await stopAndExpectNothingLeft(run);
  }, 360_000);

  it("--catalog FILE: a merchant's messy export is imported, with what was skipped and why", async () => {
    const csv = path.join(workDir, "shop-export.csv");
    writeFileSync(
      csv,
      [
        "Handle,Title,Body (HTML),Vendor,Type,Published,Status,Option1 Name,Option1 Value,Variant Price",
        "ridge-tent,Ridge <b>Tent</b>,<p>Two person</p>,Acme,Tents,TRUE,active,Size,2P,120.00",
        "ridge-tent,,,,,,,Size,3P,150.00",
        "bad-price,Lantern,,Acme,Lights,TRUE,active,Title,Default Title,twelve",
        "camp-mug,Camp Mug,,Acme,Kitchen,TRUE,active,Title,Default Title,9.00",
      ].join("\n"),
    );
    const run = new DemoRun(["--catalog", csv, "--reset"]);
    await run.waitFor(READY, RUN_TIMEOUT_MS);
    expect(run.output).toContain("2 products created in the store (3 variants read), 1 skipped");
    expect(run.output).toContain('skipped CSV line 4 (bad-price): Variant Price "twelve" is not a price');
    expect(run.output).toContain("1 title had HTML tags: imported as plain text");
    expect(run.output).toMatch(/Catalog: +2 products searchable/);
    await stopAndExpectNothingLeft(run);

    const notACatalog = path.join(workDir, "other.csv");
    writeFileSync(notACatalog, "Product_ID,Product_Name\n1,Tent\n");
    const refused = new DemoRun(["--catalog", notACatalog]);
    expect(await refused.exited).toBe(1);
    expect(refused.output).toContain(`Cannot read the catalog ${notACatalog}: Not a Shopify product CSV export`);
    expect(processesUsing(demoDir)).toEqual([]);
  }, 360_000);
});

/** `npm run demo` in its own process group, as in a terminal. */
class DemoRun {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output = "";

  constructor(args: string[] = []) {
    this.child = spawn("npm", ["run", "demo", "--", ...args], {
      // Without NODE_ENV on purpose (a user's shell has none), which Remix's typings say is always set.
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    runs.push(this);
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`the demo exited before ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** Ctrl-C in the demo's terminal. */
  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  }

  /** Every process of the run's group still alive (the npm process leads the group). */
  processes(): number[] {
    return livePids().filter((pid) => readStat(pid)?.pgrp === this.child.pid);
  }
}

function expectReadyBanner(output: string): void {
  expect(output).toContain(`App:                   http://127.0.0.1:${ports.PORT}`);
  expect(output).toContain(`Health:                http://127.0.0.1:${ports.PORT}/healthz  (ok)`);
  expect(output).toContain(`Storefront (widget):   http://127.0.0.1:${ports.STOREFRONT_PORT}`);
  expect(output).toContain(`Admin (embedded app):  http://127.0.0.1:${ports.STORE_EMULATOR_PORT}/store/`);
  expect(output).toContain(`Chroma:                http://127.0.0.1:${ports.CHROMA_PORT}`);
  expect(output).toMatch(/Catalog: +[1-9]\d* products searchable/);
}

/** Ctrl-C, then: the demo exits 0, and no process, port or file of the run is left. */
async function stopAndExpectNothingLeft(run: DemoRun): Promise<void> {
  const started = run.processes();
  // npm, the demo, and once it got that far Chroma and the app: the ones that must all be gone.
  expect(started.length).toBeGreaterThanOrEqual(2);
  run.kill("SIGINT");
  expect(await run.exited).toBe(0);
  expect(run.output).toContain("Stopping…");
  // Children end right after the demo exits; give them a moment before calling them orphans.
  const deadline = Date.now() + 20_000;
  const leftovers = () => [...new Set([...started.filter(isAlive), ...run.processes(), ...processesUsing(demoDir)])];
  while (leftovers().length && Date.now() < deadline) await sleep(200);
  expect(leftovers().map((pid) => `${pid}: ${commandLine(pid)}`)).toEqual([]);
  for (const port of Object.values(ports)) expect(await isPortFree(port), `port ${port} is free`).toBe(true);
  expect(existsSync(path.join(demoDir, "demo.pid"))).toBe(false);
  expect(existsSync(path.join(demoDir, "emulator"))).toBe(false);
  // Caches the toolchain keeps on purpose are not the demo's leftovers: tsx's, and Node's module compile
  // cache (tsx turns it on from Node 22.1, so it appears on Node 24 and not on 20).
  const caches = (name: string) => name.startsWith("tsx") || name === "node-compile-cache";
  expect(readdirSync(path.join(workDir, "tmp")).filter((name) => !caches(name))).toEqual([]);
}

// ---- processes, from /proc ----------------------------------------------------------------------

function livePids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter(isAlive);
}

function readStat(pid: number): { state: string; pgrp: number } | null {
  try {
    // After "(comm)": state, ppid, pgrp, … (comm may hold spaces and parentheses, hence lastIndexOf).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state, pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

/** Running (zombies have exited: only their parent has not collected them yet). */
function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== "Z";
}

const readProc = (pid: number, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return "";
  }
};

const commandLine = (pid: number) => readProc(pid, "cmdline").replaceAll("\0", " ").trim();

/** Processes whose command line or environment names `dir`: whatever a run started, even outside its group. */
function processesUsing(dir: string): number[] {
  return livePids().filter(
    (pid) => pid !== process.pid && (readProc(pid, "cmdline").includes(dir) || readProc(pid, "environ").includes(dir)),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
