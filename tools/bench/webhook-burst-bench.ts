// `npm run bench:webhooks -- [--database sqlite|postgres|all] [--runs 1] [--concurrency 25] [--profile DIR] [--chroma]
//  [--timeline]`
// (needs `npm run build` first: it runs the production build through server.mjs)
// `--chroma`: the vector store is up (a real Chroma server), so the sync worker embeds the burst's products
// with the local model while the burst arrives (decision 117); the LLM and Appwrite stay down.
// `--timeline`: when each of the first deliveries was sent, accepted, parsed, handled and answered, and the
// server's event-loop iterations (tools/bench/request-timeline-probe.mjs; decision 123).
// W5 of issue 14 as a benchmark: the 500-delivery burst of tools/bench/webhook-burst.ts, signed with the
// app's secret, POSTed over HTTP to the real server (server.mjs: bounded body read, Remix, the webhook
// routes, the library's HMAC check) with 25 in flight, while Chroma, the LLM and Appwrite are down
// (ports nothing listens on) and the server's own workers run and fail against them. Prints the
// answer times the client saw (p50/p95/p99/max) and, from the server's request log lines, the time
// inside the server. `--profile DIR` writes the server's CPU profile (node --cpu-prof) there.
// Results and the command lines that produced them: docs/benchmarks.md.
import { randomBytes } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { startChroma, type RunningChroma } from "../chroma/chroma-process";
import { webhookMessage, webhookRequest } from "../emulator/signing/webhook";
import { startApp } from "../lib/app-process";
import { migrateDatabase } from "../lib/database";
import { percentile } from "../lib/percentile";
import { freePort } from "../lib/ports";
import { databaseUrl, dropDatabase, postgresAdmin } from "../lib/postgres-admin";
import { arg, machine, ms, numberArg } from "./bench-stack";
import {
  BURST_CONCURRENCY,
  BURST_KEPT,
  formatBurst,
  installBurstShop,
  outageBurst,
  sendBurst,
  summariseBurst,
  type BurstSummary,
} from "./webhook-burst";

const DATABASES = arg("database", "all") === "all" ? ["sqlite", "postgres"] : [arg("database", "all")];
const RUNS = numberArg("runs", 1);
const CONCURRENCY = numberArg("concurrency", BURST_CONCURRENCY);
const PROFILE_DIR = arg("profile", "");
const CHROMA_UP = process.argv.includes("--chroma");
const TIMELINE = process.argv.includes("--timeline");
const SECRET = "webhook-burst-bench-secret";
const SHOP = "burst.myshopify.com";
const OTHER = "burst-other.myshopify.com";

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(kind: string, workDir: string): Promise<Database> {
  if (kind === "sqlite") {
    const url = `file:${path.join(workDir, "burst.sqlite")}`;
    await migrateDatabase(url);
    return { url, drop: async () => {} };
  }
  if (kind !== "postgres") throw new Error("--database must be sqlite, postgres or all");
  const adminUrl =
    process.env.TEST_POSTGRES_URL || execFileSync("bash", ["tools/ensure-postgres.sh"], { encoding: "utf8" }).trim();
  if (!adminUrl) throw new Error("postgres needs a server: set TEST_POSTGRES_URL (see tools/ensure-postgres.sh)");
  const name = `aisle_burst_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = databaseUrl(adminUrl, name);
  await migrateDatabase(url);
  return { url, drop: () => dropDatabase(adminUrl, name) };
}

const EVENT_LOOP_PROBE = fileURLToPath(new URL("./event-loop-probe.mjs", import.meta.url));
const TIMELINE_PROBE = fileURLToPath(new URL("./request-timeline-probe.mjs", import.meta.url));

type LogLine = {
  msg?: string;
  path?: string;
  ms?: number;
  t?: number;
  p99?: number;
  max?: number;
  time?: string;
  requestId?: string;
  id?: string;
  accepted?: number;
  headers?: number;
  finished?: number;
  elu?: number;
  iterations?: number;
  longest?: number;
};

/** The server's JSON log lines with this message. */
function logLines(output: string, msg: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split("\n")) {
    if (!text.includes(`"${msg}"`)) continue;
    try {
      const line = JSON.parse(text) as LogLine;
      if (line.msg === msg) lines.push(line);
    } catch {
      // not a JSON log line
    }
  }
  return lines;
}

/** The server's own view: `ms` of its "request" lines for webhook paths (handler reached to response sent). */
const serverTimes = (output: string) =>
  logLines(output, "request")
    .filter((l) => l.path?.startsWith("/webhooks/") && typeof l.ms === "number")
    .map((l) => l.ms!);

/** The longest event-loop stall of any second of the burst (tools/bench/event-loop-probe.mjs). */
const eventLoopMax = (output: string, from: number, to: number) =>
  Math.max(
    0,
    ...logLines(output, "event loop delay")
      .filter((l) => l.t! >= from && l.t! <= to + 1000)
      .map((l) => l.max!),
  );

/** CPU time (user + system) the process has used so far, in ms (Linux: /proc/<pid>/stat, 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * `--timeline`: for the first deliveries and the slowest, when each stage happened, in ms after the
 * burst started: the client sent it, the server accepted its connection, parsed its headers, reached
 * the handler (server.mjs; its "request" line's time minus its ms), finished the answer, and the client
 * had the answer. Then the server's event-loop utilisation per 50 ms over the first seconds.
 */
function printTimeline(output: string, idPrefix: string, sent: { sent: number; answered: number }[], t0: number) {
  const server = new Map(logLines(output, "request timeline").map((l) => [l.id, l]));
  const handler = new Map(
    logLines(output, "request")
      .filter((l) => l.requestId && l.time)
      .map((l) => [l.requestId, Date.parse(l.time!) - l.ms!]),
  );
  const at = (t: number | undefined) => (t === undefined ? "?" : String(Math.round(t - t0)));
  const rows = sent.map((c, n) => ({ n, ...c }));
  const slowest = [...rows].sort((a, b) => b.answered - b.sent - (a.answered - a.sent)).slice(0, 10);
  console.log("  n: sent → accepted → headers → handler → finished → answered (ms after the burst started)");
  for (const row of [...rows.slice(0, 40), ...slowest.filter((r) => r.n >= 40)]) {
    const id = `${idPrefix}${row.n}`;
    const s = server.get(id);
    console.log(
      `  #${row.n}: ${at(row.sent)} → ${at(s?.accepted)} → ${at(s?.headers)} → ${at(handler.get(id))} → ${at(s?.finished)} → ${at(row.answered)}`,
    );
  }
  // The burst's first CONCURRENCY deliveries open new connections: how late the last was accepted, and
  // how many deliveries the server had answered by then (on connections already open).
  const opening = rows.slice(0, CONCURRENCY).map((row) => server.get(`${idPrefix}${row.n}`)?.accepted ?? 0);
  const lastAccepted = Math.max(...opening);
  const answeredBefore = [...server.values()].filter((l) => l.id?.startsWith(idPrefix) && l.finished! < lastAccepted);
  console.log(
    `  last of the first ${CONCURRENCY} connections accepted at ${at(lastAccepted)} ms, after ${answeredBefore.length} answers`,
  );
  const elu = logLines(output, "event loop utilisation").filter((l) => l.t! >= t0 - 500 && l.t! <= t0 + 3000);
  console.log(`  event-loop utilisation per 50 ms from -0.5 s: ${elu.map((l) => l.elu!.toFixed(2)).join(" ")}`);
  console.log(`  loop iterations per 50 ms: ${elu.map((l) => l.iterations).join(" ")}`);
  console.log(`  longest iteration per 50 ms (ms): ${elu.map((l) => l.longest).join(" ")}`);
}

interface RunResult {
  kind: string;
  summary: BurstSummary;
  server: number[];
  eventLoopMaxMs: number;
  /** Wall time of the burst and the server's CPU time meanwhile (load-independent). */
  seconds: number;
  serverCpuMs: number;
  kept: { products: number; pendingProducts: number; activeJobs: number };
  load: [number, number];
}

async function run(kind: string, runNumber: number): Promise<RunResult> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-burst-bench-"));
  const database = await freshDatabase(kind, workDir);
  const prisma = createPrismaClient(database.url);
  let chroma: RunningChroma | undefined;
  try {
    await installBurstShop(prisma, SHOP);
    await installBurstShop(prisma, OTHER);
    // Appwrite, the LLM and (without --chroma) Chroma: ports nothing listens on (connection refused, as for a dead host).
    const nothing = `http://127.0.0.1:${await freePort()}`;
    chroma = CHROMA_UP
      ? await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true })
      : undefined;
    const port = await freePort();
    const profile = PROFILE_DIR ? path.resolve(PROFILE_DIR, `${kind}-${runNumber}`) : "";
    const app = await startApp({
      port,
      env: {
        SHOPIFY_API_KEY: "webhook-burst-bench",
        SHOPIFY_API_SECRET: SECRET,
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: database.url,
        CHROMA_URL: chroma?.url ?? nothing,
        CUSTOMER_STORE: "appwrite",
        APPWRITE_ENDPOINT: `${nothing}/v1`,
        APPWRITE_PROJECT_ID: "aisle-burst",
        APPWRITE_API_KEY: "burst-key",
        LLM_PROVIDER: "openai",
        LLM_BASE_URL: `${nothing}/v1`,
        LLM_API_KEY: "burst-llm-key",
        EMBEDDINGS_PROVIDER: "local",
      },
      imports: TIMELINE ? [EVENT_LOOP_PROBE, TIMELINE_PROBE] : [EVENT_LOOP_PROBE],
      nodeOptions: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
    });
    try {
      const list = outageBurst(SHOP, OTHER);
      // Signed before the clock starts: the client's HMACs are not the server's time.
      const requests = list.map(({ shop, topic, body }, n) =>
        webhookRequest(
          new URL(`/webhooks/${topic}`, app.url),
          webhookMessage({ shop, topic, body, webhookId: `burst-${runNumber}-${n}` }),
          { apiSecret: SECRET, apiVersion: "2026-07" },
        ),
      );
      // The server logs its request lines under this id: the timeline matches them to the deliveries.
      if (TIMELINE) requests.forEach((request, n) => request.headers.set("x-request-id", `burst-${runNumber}-${n}`));
      // The client's own first fetch loads its HTTP stack: not the server's time.
      await fetch(`${app.url}/healthz`).then((response) => response.arrayBuffer());
      const before = os.loadavg()[0];
      const started = Date.now();
      const cpuBefore = cpuMs(app.pid);
      const sent: { sent: number; answered: number }[] = [];
      const connects: string[] = [];
      const clock = () => Math.round(performance.timeOrigin + performance.now() - started);
      const onConnecting = () => connects.push(`b${clock()}`);
      const onConnected = () => connects.push(`c${clock()}`);
      if (TIMELINE) {
        diagnostics.subscribe("undici:client:beforeConnect", onConnecting);
        diagnostics.subscribe("undici:client:connected", onConnected);
      }
      const answers = await sendBurst(
        list,
        async (_delivery, n) => {
          const sentAt = performance.timeOrigin + performance.now();
          const response = await fetch(requests[n]);
          await response.arrayBuffer();
          sent[n] = { sent: sentAt, answered: performance.timeOrigin + performance.now() };
          return response.status;
        },
        CONCURRENCY,
      );
      const ended = Date.now();
      diagnostics.unsubscribe("undici:client:beforeConnect", onConnecting);
      diagnostics.unsubscribe("undici:client:connected", onConnected);
      const serverCpuMs = cpuMs(app.pid) - cpuBefore;
      const load: [number, number] = [before, os.loadavg()[0]];
      const summary = summariseBurst(answers);
      console.log(formatBurst(`${kind} run ${runNumber}`, summary));
      // Where the tail is: position in the burst tells a cold start from a queue.
      const slowest = [...answers].sort((a, b) => b.ms - a.ms).slice(0, 6);
      console.log(`  slowest: ${slowest.map((a) => `#${a.n} ${a.topic} ${Math.round(a.ms)} ms`).join(", ")}`);
      const kept = {
        products: await prisma.productSync.count({ where: { shop: SHOP } }),
        pendingProducts: await prisma.productSync.count({ where: { shop: SHOP, pending: true } }),
        activeJobs: await prisma.lifecycleJob.count({
          where: { shop: SHOP, status: { in: ["pending", "running", "retrying"] } },
        }),
      };
      const output = app.output();
      if (TIMELINE) printTimeline(output, `burst-${runNumber}-`, sent, started);
      if (TIMELINE) console.log(`  client connects (b: before connect, c: connected), ms: ${connects.join(" ")}`);
      return {
        kind,
        summary,
        server: serverTimes(output),
        eventLoopMaxMs: eventLoopMax(output, started, ended),
        seconds: (ended - started) / 1000,
        serverCpuMs,
        kept,
        load,
      };
    } finally {
      await app.stop();
      if (profile) console.log(`CPU profile of the server: ${profile}`);
    }
  } finally {
    await chroma?.stop();
    await prisma.$disconnect();
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync("build/server/index.js")) throw new Error("no production build: run `npm run build` first");
  console.log(
    `webhook burst: ${machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results: RunResult[] = [];
  for (const kind of DATABASES) for (let n = 1; n <= RUNS; n++) results.push(await run(kind, n));
  console.log("");
  console.log(
    "| database | run | 2xx | client p50 | p95 | p99 | max | server p50 | server p99 | event loop max | burst: wall, server CPU per delivery | kept: products (pending), jobs | load avg before → after |",
  );
  console.log("| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --- |");
  results.forEach((r, i) => {
    const s = r.summary;
    console.log(
      `| ${r.kind} | ${(i % RUNS) + 1} | ${s.ok}/${s.answered} | ${ms(s.p50)} | ${ms(s.p95)} | **${ms(s.p99)}** | ${ms(s.max)} | ` +
        `${ms(percentile(r.server, 50))} | ${ms(percentile(r.server, 99))} | ${ms(r.eventLoopMaxMs)} | ${r.seconds.toFixed(1)} s, ${ms(r.serverCpuMs / r.summary.answered)} | ${r.kept.products} (${r.kept.pendingProducts}), ${r.kept.activeJobs} ` +
        `(of ${BURST_KEPT.products}, ${BURST_KEPT.activeJobs}) | ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} |`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
