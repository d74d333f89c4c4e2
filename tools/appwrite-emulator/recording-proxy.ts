// An HTTP hop in front of an Appwrite server (the local one or a real one) that forwards every request
// unchanged and records it with its answer, so a test can check the traffic on the wire against
// Appwrite's published spec (spec-check.ts) without touching the client or the server.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Exchange } from "./spec-check";

export interface RecordingProxy {
  /** Use in place of the target's endpoint; same base path (e.g. http://127.0.0.1:port/v1). */
  endpoint: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

// Headers that describe one hop, not the message; fetch sets its own.
const HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "accept-encoding"]);

const singleValued = (headers: IncomingMessage["headers"]) =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value]],
    ),
  );

type Answer = { status: number; json: unknown };

export interface RecordingProxyOptions {
  /**
   * Answers a request itself instead of forwarding it (a failure the server could give, for tests of
   * what the client does then); undefined forwards it, and a promise holds it until it settles (to
   * order concurrent requests in a test).
   */
  intercept?: (request: {
    method: string;
    path: string;
    body: unknown;
  }) => Answer | undefined | Promise<Answer | undefined>;
}

/** Starts a proxy to `targetEndpoint` (an Appwrite endpoint ending in /v1). */
export async function startRecordingProxy(
  targetEndpoint: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const target = new URL(targetEndpoint);
  const basePath = target.pathname.replace(/\/$/, "");
  const exchanges: Exchange[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://proxy");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const requestHeaders = singleValued(req.headers);
    const upstreamPath = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    let requestBody: unknown;
    try {
      requestBody = raw ? JSON.parse(raw) : undefined;
    } catch {
      requestBody = raw; // recorded as text; the checker reports it
    }
    try {
      const own = await options.intercept?.({ method: req.method ?? "GET", path: url.pathname, body: requestBody });
      const answer = own
        ? new Response(JSON.stringify(own.json), {
            status: own.status,
            headers: { "content-type": "application/json; charset=utf-8" },
          })
        : await fetch(new URL(basePath + upstreamPath + url.search, target.origin), {
            method: req.method,
            headers: Object.fromEntries(Object.entries(requestHeaders).filter(([name]) => !HOP.has(name))),
            body: raw && req.method !== "GET" && req.method !== "HEAD" ? raw : undefined,
          });
      const text = await answer.text();
      const responseHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP.has(name) && name !== "content-encoding") responseHeaders[name] = value;
      });
      exchanges.push({
        method: req.method ?? "GET",
        path: url.pathname,
        query: [...url.searchParams.entries()],
        requestHeaders,
        requestBody,
        status: answer.status,
        responseHeaders,
        responseBody: text,
      });
      res.writeHead(answer.status, responseHeaders).end(text);
    } catch (error) {
      // The target is unreachable: the client sees a dropped connection, as it would without the proxy.
      res.destroy(error as Error);
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}${basePath}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
