// The built app server, started the way the demo starts it, logs JSON with a request id on
// every line written while handling a request, and serves public/ (copied into the build).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/lib/ports";
import { startStack, type RunningStack } from "../../tools/stack";

const HEALTH_TOKEN = "app-server-health-token-93c1";

let stack: RunningStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-server-"));
  stack = await startStack({
    dataDir,
    appPort: await freePort(),
    chromaPort: await freePort(),
    env: { HEALTH_TOKEN },
  });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("app server", () => {
  it("tags each log line of a request with its id", async () => {
    const response = await fetch(`${stack.app.url}/healthz`, { headers: { "x-request-id": "req-logging-check" } });
    expect(response.headers.get("x-request-id")).toBe("req-logging-check");
    // The line is written when the response finishes, in another process: wait for it (bounded).
    const logged = () =>
      stack.app
        .output()
        .split("\n")
        .filter((line) => line.includes("req-logging-check"))
        .map((line) => JSON.parse(line));
    const deadline = Date.now() + 10_000;
    while (!logged().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logged();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ requestId: "req-logging-check", path: "/healthz", status: 200, msg: "request" });
  });

  it("generates an id when the caller sends none, and refuses to echo a malformed one", async () => {
    const generated = await fetch(`${stack.app.url}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const injected = await fetch(`${stack.app.url}/healthz`, { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(injected.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the favicons and robots.txt from public/, and its pages link the favicons", async () => {
    for (const [file, type] of [
      ["favicon.svg", "image/svg+xml"],
      ["favicon.ico", "image/"],
      ["robots.txt", "text/plain"],
    ]) {
      const response = await fetch(`${stack.app.url}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("content-type"), file).toContain(type);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(readFileSync(path.join("public", file))), file).toBe(true);
    }
    expect(await (await fetch(`${stack.app.url}/robots.txt`)).text()).toMatch(/^User-agent: \*\nDisallow: \/$/m);
    const page = await (await fetch(`${stack.app.url}/`)).text();
    expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    expect(page).toContain('<link rel="icon" href="/favicon.ico" sizes="32x32"/>');
  });

  it("reports Chroma down, with a 503, when it stops", async () => {
    await stack.chroma.stop();
    // The public answer is the status alone; the token shows which part is down.
    const response = await fetch(`${stack.app.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "down" });
    const detailed = await fetch(`${stack.app.url}/healthz`, { headers: { authorization: `Bearer ${HEALTH_TOKEN}` } });
    expect(detailed.status).toBe(503);
    const report = await detailed.json();
    expect(report.components.vectorStore.status).toBe("down");
    expect(report.components.database.status).toBe("ok");
  });
});
