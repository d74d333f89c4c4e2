// Makes the native addons work on the Node that runs this script (`node tools/native-addons.mjs`).
// better-sqlite3 is compiled against one Node ABI (NODE_MODULE_VERSION: 115 on Node 20, 137 on Node 24),
// so one tree used by two Nodes (tools/with-node.sh, a version manager) needs the build of the Node at hand.
// Every build that passes the probe is kept in .cache/native/, one per package version, ABI and platform:
// switching Node then copies a file instead of compiling for minutes. Missing builds come from `npm rebuild`
// (a prebuilt download when online, else node-gyp, which needs this Node's headers: see headersDir()).
// The other .node files in node_modules (Rollup, the Chroma server) use Node-API and load on any Node.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const node = `Node ${process.version} (ABI ${process.versions.modules})`;

// Only packages that use the V8/NAN API directly need a build per ABI: today, better-sqlite3 alone.
const addons = [
  {
    name: "better-sqlite3",
    binary: "build/Release/better_sqlite3.node",
    // Opening a database is what loads the binary (requiring the package does not). Then garbage is
    // collected while a vm context is entered: a build compiled against Node 24.19+ headers aborts there
    // ("Assertion failed: (env) != nullptr", nodejs/node#65446), as it did in Vitest's workers.
    probe: [
      "const db = new (require('better-sqlite3'))(':memory:');",
      "for (let i = 0; i < 200; i++) db.prepare('select ' + i);",
      "require('node:vm').runInNewContext('let a = []; for (let i = 0; i < 2e5; i++) a.push({ i })');",
      "db.close();",
    ].join(" "),
  },
];

// node-gyp compiles against npm's `nodedir` when set (this machine's npmrc points it at Node 20's headers)
// and downloads headers otherwise, which fails offline. Pass the first candidate whose headers are for this
// ABI: npm_config_nodedir (tools/with-node.sh sets it), then the install this binary runs from (tarballs,
// nvm and Debian's /usr keep them in ../include/node). When none matches, npm keeps its own choice.
function headersDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), "..")];
  return candidates.find((dir) => {
    const header = dir && join(dir, "include", "node", "node_version.h");
    if (!header || !existsSync(header)) return false;
    const abi = /#define NODE_MODULE_VERSION (\d+)/.exec(readFileSync(header, "utf8"))?.[1];
    return abi === process.versions.modules;
  });
}

function loads(addon) {
  // A child process: a failed dlopen must not stick to this one, and the file may be replaced between tries.
  const result = spawnSync(process.execPath, ["-e", addon.probe], { cwd: root, encoding: "utf8" });
  const error = (result.stderr || `killed by ${result.signal}`).trim().split("\n").slice(0, 5).join("\n");
  return { ok: result.status === 0, error };
}

function copyAtomically(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.${process.pid}.partial`;
  copyFileSync(from, partial);
  renameSync(partial, to);
}

let failed = false;
for (const addon of addons) {
  const packageDir = join(root, "node_modules", addon.name);
  if (!existsSync(join(packageDir, "package.json"))) continue;
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const key = `${addon.name}@${version}-abi${process.versions.modules}-${process.platform}-${process.arch}`;
  const installed = join(packageDir, addon.binary);
  const cached = join(root, ".cache", "native", key, addon.binary.split("/").pop());

  let result = loads(addon);
  let built = false;
  if (!result.ok && existsSync(cached)) {
    copyAtomically(cached, installed);
    result = loads(addon);
    const outcome = result.ok ? "using the cached build" : "the cached build fails too";
    console.log(`${addon.name}: ${outcome} for ${node}`);
  }
  if (!result.ok) {
    built = true;
    console.log(`${addon.name}: building for ${node} (npm rebuild ${addon.name})…`);
    const started = Date.now();
    const nodedir = headersDir();
    const env = nodedir ? { ...process.env, npm_config_nodedir: nodedir } : process.env;
    const rebuild = spawnSync("npm", ["rebuild", addon.name], {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    result = rebuild.status === 0 ? loads(addon) : { ok: false, error: `npm rebuild exited with ${rebuild.status}` };
    if (result.ok) console.log(`${addon.name}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (result.ok) {
    if (built || !existsSync(cached)) copyAtomically(installed, cached);
  } else {
    failed = true;
    console.error(`${addon.name} does not work on ${node}:\n${result.error}`);
    if (result.error.includes("(env) != nullptr")) {
      console.error(
        "That build was compiled against Node 24.19+ headers (nodejs/node#65446). `bash tools/with-node.sh 24 …`" +
          " builds against Node 24.18.1's headers; or point npm_config_nodedir at headers of Node 24.18.1 or older.",
      );
    }
  }
}
process.exit(failed ? 1 : 0);
