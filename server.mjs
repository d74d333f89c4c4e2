// Aisle's HTTP server: Express in front of the Remix request handler. It gives every request
// an id (X-Request-Id, echoed back) that the app's logger adds to each line written for it.
// Development: Vite middleware with hot reload. Production (NODE_ENV=production): the build.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

// A local .env (or the file ENV_FILE names) is read when present; real environment variables win.
const envFile = process.env.ENV_FILE ?? ".env";
if (existsSync(envFile)) process.loadEnvFile(envFile);

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const vite = production
  ? undefined
  : await import("vite").then(({ createServer }) => createServer({ server: { middlewareMode: true } }));

async function loadBuild() {
  return vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");
}

// Load the app once before listening: a bad configuration stops the process here, with the
// message naming the variable, instead of failing on the first request.
const { logger } = (await loadBuild()).entry.module;

const app = express();
app.disable("x-powered-by");
// Webhooks and proxies need the raw body untouched: no body parsers here; Remix reads requests itself.
if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

app.all("*", async (req, res, next) => {
  try {
    const build = await loadBuild();
    const { logger, withRequestContext } = build.entry.module;
    const requestId = /^[\w.-]{1,128}$/.test(req.get("x-request-id") ?? "") ? req.get("x-request-id") : randomUUID();
    res.set("x-request-id", requestId);
    const started = performance.now();
    res.on("finish", () =>
      withRequestContext(requestId, () =>
        logger.info(
          { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          "request",
        ),
      ),
    );
    await withRequestContext(requestId, () =>
      createRequestHandler({ build, mode: production ? "production" : "development" })(req, res, next),
    );
  } catch (error) {
    next(error);
  }
});

const server = app.listen(port, host, () => {
  logger.info({ port, mode: production ? "production" : "development" }, "Aisle is listening");
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    vite?.close();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
