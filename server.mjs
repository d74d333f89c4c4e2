// Aisle's HTTP server: Express in front of the Remix request handler. It boots the app's services
// once (the composition root, app/services.server.ts), hands them to every route as
// `context.services`, and gives every request an id (X-Request-Id, echoed back) that the app's
// logger adds to each line written for it.
// Development: Vite middleware with hot reload. Production (NODE_ENV=production): the build.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequestHandler } from "@remix-run/node";
import express from "express";
// The Express adapter's own request/response conversion (its index exports only the handler, which
// always reads the body from the socket itself; here the body has been read, bounded, beforehand).
import remixExpress from "@remix-run/express/dist/server.js";

const { createRemixRequest, sendRemixResponse } = remixExpress;

// A local .env (or the file ENV_FILE names) is read when present; real environment variables win.
const envFile = process.env.ENV_FILE ?? ".env";
if (existsSync(envFile)) process.loadEnvFile(envFile);

// `shopify app dev` (shopify.web.toml) passes the tunnel's URL as HOST and APP_URL: it is the app's
// public URL, not an address to listen on.
if (process.env.APP_URL && process.env.HOST === process.env.APP_URL) {
  process.env.SHOPIFY_APP_URL ||= process.env.APP_URL;
  delete process.env.HOST;
}

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const vite = production
  ? undefined
  : await import("vite").then(({ createServer }) => createServer({ server: { middlewareMode: true } }));

async function loadBuild() {
  return vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");
}

// Boot once before listening: a bad configuration stops the process here, with the message naming
// the variable, instead of failing on the first request.
let booted = boot(await loadBuild());
function boot(build) {
  const { bootServices } = build.entry.module;
  return { bootServices, ...bootServices(process.env) };
}

// Vite reloads the app's modules when they change in development: the previous services stop
// (workers, timers, database) before the new ones start.
let rebooting;
async function servicesFor(build) {
  if (build.entry.module.bootServices === booted.bootServices) return booted.services;
  rebooting ??= (async () => {
    await booted.stop();
    booted = boot(build);
    rebooting = undefined;
  })();
  await rebooting;
  return booted.services;
}

const app = express();
app.disable("x-powered-by");
// No body parsers: webhooks and proxies need the raw body untouched. Bodies are read once, bounded,
// by `admitRequest` below and handed to Remix as they arrived.
if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

// Remix's request handler per build (a new one only when Vite reloads the app in development).
const handlers = new WeakMap();
function remixHandlerFor(build) {
  if (!handlers.has(build)) handlers.set(build, createRequestHandler(build, production ? "production" : "development"));
  return handlers.get(build);
}

app.all("*", async (req, res, next) => {
  try {
    const build = await loadBuild();
    const services = await servicesFor(build);
    const { admitRequest, withRequestContext } = build.entry.module;
    const requestId = /^[\w.-]{1,128}$/.test(req.get("x-request-id") ?? "") ? req.get("x-request-id") : randomUUID();
    res.set("x-request-id", requestId);
    const started = performance.now();
    res.on("finish", () =>
      withRequestContext(requestId, () =>
        services.log.info(
          { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          "request",
        ),
      ),
    );
    await withRequestContext(requestId, async () => {
      // Bounded input before any route runs (docs/decisions/094): the body up to its route's limit,
      // a slot of the unauthenticated-work gate; otherwise 413/408/503 has been answered here.
      const admitted = await admitRequest(services.http, req, res);
      if (!admitted) return;
      let request = createRemixRequest(req, res);
      // Remix's own reader found the stream already read: the body is the bytes read above.
      if (admitted.body) request = new Request(request, { body: admitted.body, duplex: "half" });
      // The socket's peer: the direct chat stream's per-IP limits (decision 105).
      const response = await remixHandlerFor(build)(request, { services, socketAddress: req.socket.remoteAddress });
      await sendRemixResponse(res, response);
    });
  } catch (error) {
    next(error);
  }
});

const server = app.listen(port, host, () => {
  booted.services.log.info({ port, mode: production ? "production" : "development" }, "Aisle is listening");
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Stop taking requests, let the background work finish its current step, then leave.
    server.close();
    Promise.allSettled([booted.stop(), vite?.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
