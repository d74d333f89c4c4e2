// The tools hand a port to a server that listens on it a moment later. A port the OS could also hand
// to a `listen(0)` in between once made the app exit with EADDRINUSE while a proxy forwarded to itself.
import { readFileSync } from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../tools/lib/ports";

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe.runIf(process.platform === "linux")("freePort", () => {
  it("hands out distinct ports below the ephemeral range, so no listen(0) can take one first", async () => {
    const ephemeralStart = Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0],
    );
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart);
    // 200 servers on OS-chosen ports meanwhile: none gets a handed-out port, and each one can still be listened on.
    const osChosen = await Promise.all(Array.from({ length: 200 }, () => listen(0)));
    const taken = new Set(osChosen.map((server) => (server.address() as net.AddressInfo).port));
    expect(ports.filter((port) => taken.has(port))).toEqual([]);
    const servers = await Promise.all(ports.map(listen));
    await Promise.all([...osChosen, ...servers].map((server) => new Promise((resolve) => server.close(resolve))));
  });
});
