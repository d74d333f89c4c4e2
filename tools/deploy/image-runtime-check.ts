// `npm run deploy:check-runtime`: the Dockerfile's runtime stage, run without Docker (these machines have no daemon
// and no registry). Lays out a directory the way the runtime stage does — its COPY lines, read from the
// Dockerfile, with production dependencies only (`npm ls --omit=dev`, hard-linked) — then runs its CMD
// (`npm run docker-start`) as an unprivileged user against a fresh SQLite file and a real Chroma server, and checks:
// migrations applied, the HEALTHCHECK command passes (and fails once Chroma is stopped: 503), and SIGTERM to `npm`
// (PID 1 in the container) stops the server. Needs `npm run build` first. Exits non-zero on any failure.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { startChroma } from "../chroma/chroma-process";
import { freePort } from "../lib/ports";
import { waitForHttp } from "../lib/wait-for-http";

const dockerfile = readFileSync("Dockerfile", "utf8");
const runtime = dockerfile.slice(dockerfile.indexOf(" AS runtime"));
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

if (!existsSync("build/server/index.js")) throw new Error("The app is not built: run `npm run build` first.");
const root = mkdtempSync(path.join(tmpdir(), "aisle-runtime-"));
chmodSync(root, 0o755); // the unprivileged user must reach the app's files (mkdtemp makes it 0700)
const app = path.join(root, "app");

/** Hard links, so the copy costs no space and nothing in node_modules is written through it. */
function linkTree(from: string, to: string) {
  if (statSync(from).isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else if (!existsSync(to)) linkSync(from, to);
}

// The runtime stage's COPY --from=build lines: sources under /app, destination relative to WORKDIR /app.
for (const [, sources, destination] of runtime.matchAll(/^COPY --from=build ((?:\/app\/\S+ )+)(\S+)$/gm)) {
  for (const source of sources
    .trim()
    .split(" ")
    .map((s) => s.replace(/^\/app\//, ""))) {
    if (source === "node_modules") continue; // production dependencies only, below
    const target = destination.endsWith("/")
      ? path.join(app, destination, path.basename(source))
      : path.join(app, destination);
    cpSync(source, target, { recursive: true });
  }
}
// `npm prune --omit=dev`: the production dependency tree, plus the generated Prisma clients and the prisma CLI.
// (npm ls exits non-zero on peer-dependency remarks under legacy-peer-deps; its list is still complete.)
const production = spawnSync("npm", ["ls", "--omit=dev", "--parseable", "--all"], { encoding: "utf8" })
  .stdout.split("\n")
  .filter((line) => line.includes(`${path.sep}node_modules${path.sep}`))
  .map((line) => path.relative(process.cwd(), line));
for (const dir of new Set([...production, "node_modules/.prisma"])) linkTree(dir, path.join(app, dir));
mkdirSync(path.join(app, "node_modules", ".bin"), { recursive: true });
cpSync("node_modules/.bin/prisma", path.join(app, "node_modules", ".bin", "prisma"), { verbatimSymlinks: true });
console.log(`runtime layout in ${app}: ${production.length} production packages`);

/** The app's `node server.mjs` processes (Linux /proc: by working directory), with their owner. */
function serverProcesses(): { pid: number; uid: number }[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`) !== app) return [];
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("server.mjs")) return [];
        return [{ pid: Number(pid), uid: statSync(`/proc/${pid}`).uid }];
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
}

// As root, run as `nobody` (the image's USER node); otherwise as the current, unprivileged user.
const asRoot = userInfo().uid === 0;
const dataDir = path.join(app, ".data");
const home = path.join(root, "home");
mkdirSync(dataDir, { recursive: true });
mkdirSync(home, { recursive: true });
if (asRoot) for (const dir of [dataDir, home]) chownSync(dir, 65534, 65534);

const [port, chromaPort] = [await freePort(), await freePort()];
const chroma = await startChroma({ dataDir: path.join(root, "chroma"), port: chromaPort, quiet: true });
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  NODE_ENV: "production" as const,
  PORT: String(port),
  HOST: "0.0.0.0",
  SHOPIFY_API_KEY: "runtime-check",
  SHOPIFY_API_SECRET: "runtime-check-secret",
  SHOPIFY_APP_URL: "https://aisle.example.com",
  CHROMA_URL: chroma.url,
  EMBEDDINGS_PROVIDER: "local",
  LLM_PROVIDER: "none",
};
const command = asRoot
  ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "npm", "run", "docker-start"]
  : ["npm", "run", "docker-start"];
const server = spawn(command[0], command.slice(1), { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
server.stdout.on("data", (chunk) => (output += chunk));
server.stderr.on("data", (chunk) => (output += chunk));
let running = true;
const exited = new Promise<number | null>((resolve) =>
  server.once("exit", (code) => {
    running = false;
    resolve(code);
  }),
);

// The image's HEALTHCHECK command, as the Dockerfile has it.
const healthcheck = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1] ?? "null") as string[];
const runHealthcheck = () => {
  try {
    execFileSync(healthcheck[0], healthcheck.slice(1), { env: { ...env }, stdio: "ignore" });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  }
};

try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, {
    timeoutMs: 120_000,
    accept: (s) => s === 200,
    isAlive: () => running,
  });
  check(/have been applied|No pending migrations/.test(output), "docker-start applied the migrations");
  check(existsSync(path.join(dataDir, "aisle.sqlite")), "the SQLite database is in the .data volume");
  check(Array.isArray(healthcheck) && runHealthcheck() === 0, "HEALTHCHECK passes while the app can serve");
  const servers = serverProcesses();
  check(servers.length === 1 && servers[0].uid !== 0, "one server process, not root");
  await chroma.stop();
  const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status);
  check(status === 503 && runHealthcheck() !== 0, `HEALTHCHECK fails once the vector store is down (${status})`);
  // `docker stop`: SIGTERM to PID 1, which is npm (setpriv execs it). The server must get it and leave.
  process.kill(server.pid!, "SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  check(stopped === true && serverProcesses().length === 0, "SIGTERM to npm stops the server within 10 s");
} catch (error) {
  failures.push(String(error));
  console.log(output);
} finally {
  for (const { pid } of serverProcesses()) process.kill(pid, "SIGKILL");
  server.kill("SIGKILL");
  await chroma.stop().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}
console.log(failures.length ? `runtime check FAILED: ${failures.join("; ")}` : "runtime check passed");
process.exit(failures.length ? 1 : 0);
