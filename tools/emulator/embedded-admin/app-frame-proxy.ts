// The origin the emulated admin frames the app from. The app (through the library) only lets Shopify's
// admin origins frame it (`Content-Security-Policy: frame-ancestors https://<shop> https://admin.shopify.com …`)
// and loads App Bridge from Shopify's CDN; neither exists here. This reverse proxy forwards everything to
// the app unchanged, adds the emulated admin's origin to frame-ancestors, and points the CDN's App Bridge URL
// at the emulator's stand-in — standing in for "the admin is admin.shopify.com and the CDN is reachable".
import http, { type IncomingHttpHeaders, type Server } from "node:http";
import { createGunzip, createBrotliDecompress, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import { HOP_BY_HOP_HEADERS } from "../http-hop-by-hop";

export const SHOPIFY_APP_BRIDGE_CDN = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export interface AppFrameProxy {
  url: string;
  stop(): Promise<void>;
}

function decoded(stream: Readable, encoding: string | undefined): Readable {
  if (encoding === "gzip") return stream.pipe(createGunzip());
  if (encoding === "br") return stream.pipe(createBrotliDecompress());
  if (encoding === "deflate") return stream.pipe(createInflate());
  return stream;
}

export async function startAppFrameProxy(options: {
  appUrl: string;
  adminOrigin: () => string;
  appBridgeUrl: () => string;
}): Promise<AppFrameProxy> {
  const app = new URL(options.appUrl);
  const server: Server = http.createServer((req, res) => {
    const headers: IncomingHttpHeaders = {};
    for (const [key, value] of Object.entries(req.headers)) if (!HOP_BY_HOP_HEADERS.has(key)) headers[key] = value;
    headers.host = app.host;
    // As any reverse proxy: the browser's host, so Remix's CSRF check (Origin vs host) accepts actions.
    headers["x-forwarded-host"] = req.headers.host;
    const upstream = http.request(
      // A fresh connection per request: a pooled keep-alive socket the app has just closed would
      // fail the request (ECONNRESET), a failure the browser talking to the app directly never sees.
      { hostname: app.hostname, port: app.port, path: req.url, method: req.method, headers, agent: false },
      (answer) => {
        const own = `http://${req.headers.host}`;
        const out: Record<string, string | string[]> = {};
        for (const [key, value] of Object.entries(answer.headers)) {
          if (value === undefined || HOP_BY_HOP_HEADERS.has(key)) continue;
          out[key] = value;
        }
        const csp = out["content-security-policy"];
        if (typeof csp === "string" && csp.includes("frame-ancestors")) {
          out["content-security-policy"] = csp.replace("frame-ancestors", `frame-ancestors ${options.adminOrigin()}`);
        }
        if (typeof out.location === "string") out.location = out.location.replace(app.origin, own);
        if (typeof out.link === "string") out.link = out.link.replace(SHOPIFY_APP_BRIDGE_CDN, options.appBridgeUrl());
        const html = String(answer.headers["content-type"] ?? "").startsWith("text/html");
        if (!html) {
          res.writeHead(answer.statusCode ?? 502, out);
          answer.pipe(res);
          return;
        }
        // HTML documents are rewritten (small, and never streamed by the embedded pages).
        const chunks: Buffer[] = [];
        const body = decoded(answer, answer.headers["content-encoding"]);
        body.on("data", (chunk: Buffer) => chunks.push(chunk));
        body.on("end", () => {
          const text = Buffer.concat(chunks)
            .toString("utf8")
            .replaceAll(SHOPIFY_APP_BRIDGE_CDN, options.appBridgeUrl());
          delete out["content-encoding"];
          out["content-length"] = String(Buffer.byteLength(text));
          res.writeHead(answer.statusCode ?? 502, out);
          res.end(text);
        });
        body.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (error) => {
      console.error(`app frame proxy: ${req.method} ${req.url?.split("?")[0]} failed: ${error.message}`);
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end("The app did not answer");
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  if (String(port) === app.port && ["127.0.0.1", "localhost"].includes(app.hostname)) {
    // The app's port was taken by this proxy: every request would forward to itself, forever.
    server.close();
    throw new Error(
      `app frame proxy: got the app's own port ${port}; choose the app's port below the OS's ephemeral range`,
    );
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
