// `npm run bench:scale-out -- [--shops 10] [--concurrency 25] [--phases one,two,kill] [--lease 30] [--sample 20]
// [--cpus-per-process 0.5] [--profile DIR]` (needs `npm run build` first). Issue 20, point 4, and the
// two-process set-up of docs/deployment.md, run with the doc's own commands: a fresh Postgres database (tools/ensure-postgres.sh's server), `npm run setup`,
// one Chroma server, and `npm start` twice on different PORTs behind a round-robin proxy: a web process
// (SYNC_WORKER_CONCURRENCY=0) and a worker process (the default). Through the proxy go the scaled webhook burst
// of tools/bench/webhook-burst.ts (500 deliveries a shop, signed with the app's secret) and App Proxy-signed
// chats. Phases, each on a fresh database and Chroma:
//   one  — the same burst to one process (the throughput baseline);
//   two  — both processes;
//   kill — both processes, the worker SIGKILLed once half the deliveries are sent, then started again.
// A delivery that gets no 2xx is sent again later with the same webhook id, as Shopify retries. Once the
// workers have caught up, every product change the burst carried is checked in the catalog table and in
// Chroma (latest title; the stored vector against the local model's embedding of the indexed text), the
// same questions are asked of both processes, and the figures are printed as docs/benchmarks.md rows.
// `--cpus-per-process n` runs each app process (npm, the server, its embedding thread) in its own cgroup
// limited to n CPUs: each process as if on its own n-CPU host, with Postgres, Chroma, the proxy and the
// sender outside the quota (decision 133). Without it every process shares the machine's cores.
// `--profile DIR` writes a V8 CPU profile (as bench:webhooks does) of the process that takes deliveries
// without indexing (web; the single process in phase one) when it stops: where intake CPU goes.
import { randomBytes } from "node:crypto";
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ChromaClient } from "chromadb";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/lib/db/create-prisma-client.server";
import { shopCollectionPrefix } from "../../app/lib/search/collection-name";
import { LocalEmbeddings } from "../../app/lib/search/local-embeddings.server";
import { startChroma } from "../chroma/chroma-process";
import { appProxyQuery } from "../emulator/signing/app-proxy";
import { webhookMessage, webhookRequest } from "../emulator/signing/webhook";
import { percentile } from "../lib/percentile";
import { createCpuQuotaGroup, inGroup, throttling, type CpuQuotaGroup } from "../lib/cpu-quota";
import { freePort } from "../lib/ports";
import { databaseUrl, dropDatabase, postgresAdmin } from "../lib/postgres-admin";
import { exitOf, registerCleanup, spawnOwned, runOwningProcesses, terminate } from "../lib/process-lifecycle";
import { waitForHttp } from "../lib/wait-for-http";
import { arg, machine, ms, numberArg } from "./bench-stack";
import {
  BURST_CONCURRENCY,
  burstShops,
  installBurstShop,
  latestProductStates,
  scaledBurst,
  type BurstDelivery,
} from "./webhook-burst";

const SHOPS = numberArg("shops", 10);
const CONCURRENCY = numberArg("concurrency", BURST_CONCURRENCY);
const PHASES = arg("phases", "one,two,kill").split(",");
// Shorter than the default 120 s so the killed worker's claims are taken over within the run; a setting
// deployers have (README), not a bench-only switch.
const LEASE_SECONDS = numberArg("lease", 30);
const SAMPLE = numberArg("sample", 20);
/** 0: no quota (every process shares the machine). */
const CPUS_PER_PROCESS = numberArg("cpus-per-process", 0);
const PROFILE_DIR = arg("profile", "");
const SECRET = "scale-out-bench-secret";
const CHAT_CONCURRENCY = 2;
const QUESTIONS = [
  "waterproof jacket for hiking",
  "light jacket for commuting",
  "August edition jacket",
  "nylon jacket",
];
/** How often an unacknowledged delivery is sent again, and how long to wait first (Shopify: 8 tries over 4 h). */
const RETRIES = 8;
const RETRY_DELAY_MS = 1000;
const CATCH_UP_TIMEOUT_MS = 20 * 60_000;

const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat, 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `npm start` runs `exec node server.mjs` in a shell under npm: the server is npm's child. */
async function serverPid(npm: ChildProcess): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const children = readFileSync(`/proc/${npm.pid}/task/${npm.pid}/children`, "utf8").trim().split(/\s+/);
    for (const child of children.filter(Boolean)) {
      if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes("server.mjs")) return Number(child);
    }
    await sleep(50);
  }
  throw new Error("npm start: no server.mjs process");
}

/** Runs an npm script the way docs/deployment.md does, with these settings (inside `group` when given). */
function npm(script: string[], env: Record<string, string>, group?: CpuQuotaGroup): ChildProcess {
  const [command, args] = group ? inGroup(group, "npm", script) : ["npm", script];
  return spawnOwned(command, args, {
    // The settings are passed explicitly; a developer's .env must not leak in.
    env: { ...process.env, ENV_FILE: "/dev/null", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

interface AppProcess {
  name: string;
  url: string;
  port: number;
  env: Record<string, string>;
  /** The CPU quota this process (and its restarts) runs under. */
  group?: CpuQuotaGroup;
  /** Written as a CPU profile when PROFILE_DIR is set. */
  profiled?: boolean;
  npm: ChildProcess;
  pid: number;
  /** CPU of earlier incarnations of this process (killed ones). */
  cpuBeforeMs: number;
  output: string;
}

async function startAppProcess(app: Omit<AppProcess, "npm" | "pid" | "output">): Promise<AppProcess> {
  const env = { ...app.env, PORT: String(app.port), HOST: "127.0.0.1" };
  // Node refuses --cpu-prof in NODE_OPTIONS, so a profiled process is started as `npm start` would start it
  // (NODE_ENV=production node server.mjs), with the flag.
  const profile = app.profiled && PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : null;
  let child: ChildProcess;
  if (profile) {
    const [command, args] = app.group
      ? inGroup(app.group, process.execPath, [...profile, "server.mjs"])
      : [process.execPath, [...profile, "server.mjs"]];
    child = spawnOwned(command, args, {
      env: { ...process.env, ENV_FILE: "/dev/null", ...env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } else child = npm(["start"], env, app.group);
  const started: AppProcess = { ...app, npm: child, pid: 0, output: "" };
  const collect = (chunk: Buffer) => (started.output += chunk.toString());
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited = false;
  child.once("exit", () => (exited = true));
  started.pid = profile ? child.pid! : await serverPid(child);
  try {
    await waitForHttp(`${app.url}/healthz`, { timeoutMs: 90_000, isAlive: () => !exited, accept: () => true });
  } catch (error) {
    throw new Error(`${app.name}: ${(error as Error).message}\n${started.output}`);
  }
  return started;
}

/**
 * A round-robin load balancer: each request goes to the next process; one that refuses the connection
 * (down, restarting) is skipped, as a load balancer's health check would. A request already sent to a
 * process that dies gets 502 (POSTs are not replayed: the sender retries, as Shopify does).
 */
function startProxy(backends: () => string[]) {
  const served = new Map<string, number>();
  let next = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const targets = backends();
      const attempt = (tries: number) => {
        const target = targets[next++ % targets.length];
        const upstream = http.request(
          new URL(request.url ?? "/", target),
          { method: request.method, headers: request.headers },
          (answer) => {
            served.set(target, (served.get(target) ?? 0) + 1);
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
            answer.on("error", () => response.destroy());
          },
        );
        upstream.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && tries + 1 < targets.length) return attempt(tries + 1);
          if (!response.headersSent) response.writeHead(502).end();
          else response.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return { server, served };
}

interface ChatAnswer {
  status: number;
  products: string[];
  text: string;
}

/** A chat turn as the storefront's App Proxy forwards it: signed query, the shopper's JSON body, SSE back. */
async function chat(baseUrl: string, shop: string, message: string): Promise<ChatAnswer> {
  const query = appProxyQuery(
    new URLSearchParams(),
    { shop, loggedInCustomerId: "", pathPrefix: "/apps/aisle", timestamp: Math.floor(Date.now() / 1000) },
    SECRET,
  );
  const response = await fetch(`${baseUrl}/proxy/chat?${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, visitorId: null }),
  });
  const body = await response.text();
  const products: string[] = [];
  let text = "";
  for (const frame of body.split("\n\n")) {
    const event = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!event || !data) continue;
    const parsed = JSON.parse(data) as { products?: { id: string; title: string }[]; delta?: string; text?: string };
    if (event === "products") products.push(...(parsed.products ?? []).map((p) => `${p.id} ${p.title}`));
    if (event === "text") text += parsed.delta ?? "";
    if (event === "replace") text = parsed.text ?? "";
    if (event === "error") text += `[error ${data}]`;
  }
  return { status: response.status, products, text };
}

interface Check {
  products: number;
  deleted: number;
  /** Live products missing from the catalog table or with an older title there. */
  catalogLost: number;
  /** Deleted products still in the catalog table. */
  catalogResurrected: number;
  vectorsLost: number;
  vectorsResurrected: number;
  /** Vector ids beyond one per live product (several collections of a shop holding it, repeated ids). */
  duplicates: number;
  /** Sampled vectors not equal to the local model's embedding of the indexed (latest) text. */
  staleVectors: number;
  sampled: number;
  minCosine: number;
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
};

async function checkCatalog(
  prisma: PrismaClient,
  chromaUrl: string,
  deliveries: readonly BurstDelivery[],
  embeddings: LocalEmbeddings,
): Promise<Check> {
  const expected = latestProductStates(deliveries);
  const check: Check = {
    products: 0,
    deleted: 0,
    catalogLost: 0,
    catalogResurrected: 0,
    vectorsLost: 0,
    vectorsResurrected: 0,
    duplicates: 0,
    staleVectors: 0,
    sampled: 0,
    minCosine: 1,
  };
  const { hostname, port } = new URL(chromaUrl);
  const client = new ChromaClient({ host: hostname, port: Number(port), ssl: false });
  const collections = await client.listCollections();
  for (const shop of new Set(deliveries.filter((d) => d.topic.startsWith("products/")).map((d) => d.shop))) {
    const rows = await prisma.searchProduct.findMany({
      where: { shop },
      select: { productId: true, title: true, text: true },
    });
    const byId = new Map(rows.map((row) => [row.productId.slice(row.productId.lastIndexOf("/") + 1), row]));
    const vectorIds: string[] = [];
    const vectors = new Map<string, number[]>();
    for (const collection of collections.filter((c) => c.name.startsWith(shopCollectionPrefix(shop)))) {
      const page = await collection.get({ include: ["embeddings"] });
      page.ids.forEach((id, i) => {
        const legacy = id.slice(id.lastIndexOf("/") + 1);
        vectorIds.push(legacy);
        vectors.set(legacy, page.embeddings[i] as number[]);
      });
    }
    check.duplicates += vectorIds.length - new Set(vectorIds).size;
    const samples: { id: string; text: string }[] = [];
    for (const [key, state] of expected) {
      const [keyShop, id] = key.split(" ");
      if (keyShop !== shop) continue;
      const row = byId.get(id);
      if (state === "deleted") {
        check.deleted++;
        if (row) check.catalogResurrected++;
        if (vectors.has(id)) check.vectorsResurrected++;
        continue;
      }
      check.products++;
      if (!row || row.title !== state.title) check.catalogLost++;
      if (!vectors.has(id)) check.vectorsLost++;
      // Updated products first: a stale vector can only be one of theirs.
      else if (row) samples.push({ id, text: row.text });
    }
    samples.sort((a, b) => Number(a.id) - Number(b.id));
    for (const sample of samples.slice(0, SAMPLE)) {
      const [vector] = await embeddings.embedDocuments([sample.text]);
      const similarity = cosine(vector, vectors.get(sample.id)!);
      check.sampled++;
      check.minCosine = Math.min(check.minCosine, similarity);
      if (similarity < 0.999) check.staleVectors++;
    }
  }
  return check;
}

interface PhaseResult {
  phase: string;
  processes: number;
  deliveries: number;
  acknowledged: number;
  firstTryFailures: number;
  resent: number;
  unacknowledged: number;
  burstSeconds: number;
  caughtUpSeconds: number;
  served: number[];
  intakeCpuMsPerDelivery: number;
  totalCpuMsPerDelivery: number;
  chats: { sent: number; ok: number; p50: number; p95: number };
  check: Check;
  identical: { asked: number; same: number } | null;
  load: [number, number];
  deliveryP50: number;
  deliveryP99: number;
  /** Per process, the share of the burst's scheduler periods it spent out of quota (with --cpus-per-process). */
  throttled: number[];
}

async function runPhase(
  phase: string,
  adminUrl: string,
  embeddings: LocalEmbeddings,
  groups: Map<string, CpuQuotaGroup>,
): Promise<PhaseResult> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "aisle-scale-out-"));
  const name = `aisle_scale_${randomBytes(4).toString("hex")}`;
  await postgresAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = databaseUrl(adminUrl, name);
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(workDir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => console.error(error));
  };
  // An interrupt (runOwningProcesses) drops the database and stops the processes too.
  const unregister = registerCleanup(cleanUp);
  try {
    cleanups.push(() => dropDatabase(adminUrl, name));
    // docs/deployment.md, "Upgrades and migrations": the release step.
    const setup = npm(["run", "setup"], { DATABASE_URL: url });
    let setupOutput = "";
    setup.stderr?.on("data", (chunk: Buffer) => (setupOutput += chunk.toString()));
    if ((await exitOf(setup)) !== 0) throw new Error(`npm run setup failed:\n${setupOutput}`);
    const prisma = createPrismaClient(url);
    cleanups.push(() => prisma.$disconnect());
    const shops = burstShops(SHOPS);
    for (const { shop, other } of shops) {
      await installBurstShop(prisma, shop);
      await installBurstShop(prisma, other);
    }
    const chroma = await startChroma({ dataDir: path.join(workDir, "chroma"), port: await freePort(), quiet: true });
    cleanups.push(() => chroma.stop());

    const proxyPort = await freePort();
    const publicUrl = `http://127.0.0.1:${proxyPort}`;
    // docs/deployment.md, "Production": the same settings for every process.
    const shared = {
      SHOPIFY_API_KEY: "scale-out-bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: publicUrl,
      DATABASE_URL: url,
      CHROMA_URL: chroma.url,
      EMBEDDINGS_PROVIDER: "local",
      LLM_PROVIDER: "none",
      SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
      // The bench's chats all come from one address and one shop per question: the limits are not under test.
      CHAT_IP_MESSAGES_PER_WINDOW: "1000000",
      CHAT_SHOP_MESSAGES_PER_WINDOW: "1000000",
    };
    const specs =
      phase === "one"
        ? [{ name: "single", env: shared, profiled: true }]
        : [
            { name: "web", env: { ...shared, SYNC_WORKER_CONCURRENCY: "0" }, profiled: true },
            { name: "worker", env: shared },
          ];
    const apps: AppProcess[] = [];
    for (const spec of specs) {
      const port = await freePort();
      const group = groups.get(spec.name);
      apps.push(await startAppProcess({ ...spec, group, port, url: `http://127.0.0.1:${port}`, cpuBeforeMs: 0 }));
    }
    cleanups.push(async () => {
      for (const app of apps) await terminate(app.npm);
    });
    const proxy = startProxy(() => apps.map((app) => app.url));
    await new Promise<void>((resolve) => proxy.server.listen(proxyPort, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));

    const deliveries = scaledBurst(shops, { editions: true });
    const webhookIds = deliveries.map((_, n) => `scale-${phase}-${n}`);
    const send = async (n: number) => {
      const { shop, topic, body } = deliveries[n];
      const request = webhookRequest(
        new URL(`/webhooks/${topic}`, publicUrl),
        webhookMessage({ shop, topic, body, webhookId: webhookIds[n] }),
        { apiSecret: SECRET, apiVersion: "2026-07" },
      );
      try {
        const response = await fetch(request);
        await response.arrayBuffer();
        return response.status;
      } catch {
        return 599;
      }
    };
    const cpuNow = () =>
      apps.reduce((sum, app) => {
        try {
          return sum + app.cpuBeforeMs + cpuMs(app.pid);
        } catch {
          return sum + app.cpuBeforeMs;
        }
      }, 0);

    // Warm the client's HTTP stack and the processes' first-request paths outside the clock.
    for (const app of apps) await fetch(`${app.url}/healthz`).then((r) => r.arrayBuffer());
    const throttlingNow = () => apps.map((app) => (app.group ? throttling(app.group) : { periods: 0, throttled: 0 }));
    const throttlingStart = throttlingNow();
    const loadBefore = os.loadavg()[0];
    const started = Date.now();
    const cpuStart = cpuNow();
    let killed: Promise<void> | undefined;
    const acknowledged = new Set<number>();
    let firstTryFailures = 0;
    let resent = 0;
    const answerMs: number[] = [];
    const retryQueue: { n: number; tries: number; at: number }[] = [];
    let burstDone = false;

    const chats: { status: number; ms: number }[] = [];
    const chatLoop = async (worker: number) => {
      for (let i = worker; !burstDone; i += CHAT_CONCURRENCY) {
        const t = performance.now();
        const answer = await chat(publicUrl, shops[i % shops.length].shop, QUESTIONS[i % QUESTIONS.length]).catch(
          () => ({ status: 599 }),
        );
        chats.push({ status: answer.status, ms: performance.now() - t });
      }
    };
    const chatting = Promise.all(Array.from({ length: CHAT_CONCURRENCY }, (_, w) => chatLoop(w)));

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const due = retryQueue.findIndex((r) => r.at <= Date.now());
          let n: number;
          let tries = 0;
          if (due >= 0) {
            ({ n, tries } = retryQueue.splice(due, 1)[0]);
            resent++;
          } else if (next < deliveries.length) {
            n = next++;
            if (n > 0 && n % 1000 === 0)
              console.log(`  ${n} deliveries sent, ${((Date.now() - started) / 1000).toFixed(0)} s`);
            if (phase === "kill" && n === Math.floor(deliveries.length / 2)) killed = killAndRestart(apps[1]);
          } else if (retryQueue.length) {
            await sleep(100);
            continue;
          } else break;
          const t = performance.now();
          const status = await send(n);
          if (tries === 0) answerMs.push(performance.now() - t);
          if (status >= 200 && status < 300) acknowledged.add(n);
          else {
            if (tries === 0) firstTryFailures++;
            if (tries + 1 < RETRIES) retryQueue.push({ n, tries: tries + 1, at: Date.now() + RETRY_DELAY_MS });
          }
        }
      }),
    );
    const ended = Date.now();
    const intakeCpu = cpuNow() - cpuStart;
    const throttled = throttlingNow().map((end, i) => {
      const periods = end.periods - throttlingStart[i].periods;
      return periods > 0 ? (end.throttled - throttlingStart[i].throttled) / periods : 0;
    });
    burstDone = true;
    await chatting;
    await killed;

    // Caught up: no product change waiting and nothing claimed.
    for (;;) {
      const pending = await prisma.productSync.count({ where: { pending: true } });
      if (pending === 0) break;
      if (Date.now() - started > CATCH_UP_TIMEOUT_MS) throw new Error(`${pending} product changes still pending`);
      await sleep(500);
    }
    const caughtUp = Date.now();
    const totalCpu = cpuNow() - cpuStart;
    const loadAfter = os.loadavg()[0];

    const check = await checkCatalog(prisma, chroma.url, deliveries, embeddings);
    let identical: PhaseResult["identical"] = null;
    if (apps.length > 1) {
      identical = { asked: 0, same: 0 };
      for (const { shop } of shops.slice(0, 5)) {
        for (const question of QUESTIONS) {
          const answers = await Promise.all(apps.map((app) => chat(app.url, shop, question)));
          identical.asked++;
          const [first, ...rest] = answers.map((a) => JSON.stringify(a));
          if (answers[0].status === 200 && answers[0].products.length && rest.every((r) => r === first))
            identical.same++;
          else console.log(`  differs (${shop}, "${question}"): ${answers.map((a) => JSON.stringify(a)).join(" vs ")}`);
        }
      }
    }
    const chatMs = chats.filter((c) => c.status === 200).map((c) => c.ms);
    return {
      phase,
      processes: apps.length,
      deliveries: deliveries.length,
      acknowledged: acknowledged.size,
      firstTryFailures,
      resent,
      unacknowledged: deliveries.length - acknowledged.size,
      burstSeconds: (ended - started) / 1000,
      caughtUpSeconds: (caughtUp - started) / 1000,
      served: apps.map((app) => proxy.served.get(app.url) ?? 0),
      intakeCpuMsPerDelivery: intakeCpu / deliveries.length,
      totalCpuMsPerDelivery: totalCpu / deliveries.length,
      chats: { sent: chats.length, ok: chatMs.length, p50: percentile(chatMs, 50), p95: percentile(chatMs, 95) },
      check,
      identical,
      load: [loadBefore, loadAfter],
      deliveryP50: percentile(answerMs, 50),
      deliveryP99: percentile(answerMs, 99),
      throttled,
    };
  } finally {
    unregister();
    await cleanUp();
  }
}

/** SIGKILL (no shutdown, no lease released), then the same `npm start` again on the same port. */
async function killAndRestart(app: AppProcess): Promise<void> {
  app.cpuBeforeMs += cpuMs(app.pid);
  const exited = exitOf(app.npm).catch(() => null);
  process.kill(app.pid, "SIGKILL");
  await exited;
  console.log(`  ${app.name} (pid ${app.pid}) SIGKILLed; starting it again`);
  const restarted = await startAppProcess(app);
  Object.assign(app, { npm: restarted.npm, pid: restarted.pid, output: restarted.output });
}

function report(results: PhaseResult[]) {
  const one = results.find((r) => r.phase === "one");
  console.log("");
  console.log(
    "| phase | processes | acknowledged (first-try failures, resent) | lost: catalog, vectors | deleted but still indexed | duplicates | stale vectors (sampled, min cosine) | burst: wall, deliveries/s (× one) | p50 / p99 per delivery | caught up | server CPU per delivery: intake, incl. indexing | served per process | chats 200 (p50, p95) | same answer on both | load avg before → after |",
  );
  console.log("| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: | --: | --- |");
  for (const r of results) {
    const rate = r.deliveries / r.burstSeconds;
    const factor = one ? ` (${(rate / (one.deliveries / one.burstSeconds)).toFixed(2)}×)` : "";
    const c = r.check;
    console.log(
      `| ${
        CPUS_PER_PROCESS > 0
          ? `${r.phase}, ${CPUS_PER_PROCESS} CPU each (throttled ${r.throttled.map((t) => `${Math.round(t * 100)} %`).join(" / ")})`
          : r.phase
      } | ${r.processes} | ${r.acknowledged}/${r.deliveries} (${r.firstTryFailures}, ${r.resent}) | ` +
        `**${c.catalogLost}**, **${c.vectorsLost}** of ${c.products} | ${c.catalogResurrected}, ${c.vectorsResurrected} of ${c.deleted} | **${c.duplicates}** | ` +
        `${c.staleVectors} (${c.sampled}, ${c.minCosine.toFixed(4)}) | ${r.burstSeconds.toFixed(1)} s, ${rate.toFixed(0)}${factor} | ` +
        `${ms(r.deliveryP50)} / ${ms(r.deliveryP99)} | ${r.caughtUpSeconds.toFixed(0)} s | ` +
        `${ms(r.intakeCpuMsPerDelivery)}, ${ms(r.totalCpuMsPerDelivery)} | ${r.served.join(" / ")} | ` +
        `${r.chats.ok}/${r.chats.sent} (${ms(r.chats.p50)}, ${ms(r.chats.p95)}) | ` +
        `${r.identical ? `${r.identical.same}/${r.identical.asked}` : "—"} | ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} |`,
    );
  }
}

async function main() {
  if (!existsSync("build/server/index.js")) throw new Error("no production build: run `npm run build` first");
  const adminUrl =
    process.env.TEST_POSTGRES_URL || execFileSync("bash", ["tools/ensure-postgres.sh"], { encoding: "utf8" }).trim();
  if (!adminUrl) throw new Error("needs a Postgres server: set TEST_POSTGRES_URL (see tools/ensure-postgres.sh)");
  // Created before any phase, so they are removed after every phase's processes have stopped (even on Ctrl-C).
  const groups = new Map<string, CpuQuotaGroup>();
  if (CPUS_PER_PROCESS > 0) {
    for (const name of ["single", "web", "worker"])
      groups.set(name, createCpuQuotaGroup(`aisle-scale-out-${process.pid}-${name}`, CPUS_PER_PROCESS));
  }
  console.log(
    `scale-out: ${machine()}; ${SHOPS} shops, ${SHOPS * 500} deliveries, ${CONCURRENCY} in flight; ${
      CPUS_PER_PROCESS > 0 ? `each app process limited to ${CPUS_PER_PROCESS} CPU (cgroup)` : "no CPU quota"
    }; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const embeddings = new LocalEmbeddings();
  const results: PhaseResult[] = [];
  for (const phase of PHASES) {
    if (!["one", "two", "kill"].includes(phase)) throw new Error("--phases: one, two and/or kill");
    console.log(`phase ${phase}…`);
    results.push(await runPhase(phase, adminUrl, embeddings, groups));
    report(results);
  }
  const failed = results.filter(
    (r) =>
      r.unacknowledged ||
      r.check.catalogLost ||
      r.check.vectorsLost ||
      r.check.catalogResurrected ||
      r.check.vectorsResurrected ||
      r.check.duplicates ||
      r.check.staleVectors ||
      (r.identical && r.identical.same !== r.identical.asked),
  );
  if (failed.length) {
    console.error(`FAILED: ${failed.map((r) => r.phase).join(", ")} lost, duplicated or disagreed (table above)`);
    process.exitCode = 1;
  }
}

runOwningProcesses(main, "stopping the processes, the proxy and Chroma…");
