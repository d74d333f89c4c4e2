// A TCP hop in front of a real server (Chroma, Appwrite) that a test can take down and bring back: while
// down, every connection is cut as it arrives and open ones are destroyed, which is what the app sees of a
// server that crashed or a network that broke. Slowed, it holds every answer back for a while: the
// server has done the work, the client hears of it late (or gives up first).
import { createConnection, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface SwitchableProxy {
  url: string;
  down(): void;
  up(): void;
  /** Delays what the server sends by `ms` (0: no delay). */
  slow(ms: number): void;
  close(): Promise<void>;
}

export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const { hostname, port } = new URL(target);
  let isDown = false;
  let delayMs = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: hostname, port: Number(port) });
    open.add(client).add(upstream);
    const forget = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", forget).on("close", forget);
    upstream.on("error", forget).on("close", forget);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      // Equal delays keep the chunks in order.
      if (delayMs === 0) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), delayMs);
    });
    upstream.on("end", () => (delayMs === 0 ? client.end() : setTimeout(() => client.end(), delayMs)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: listening } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${listening}`,
    down() {
      isDown = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    up() {
      isDown = false;
    },
    slow(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
