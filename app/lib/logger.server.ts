// Structured JSON logs (pino). Every line written while handling a request carries that
// request's id, taken from an AsyncLocalStorage context opened by the HTTP server (server.mjs).
import { AsyncLocalStorage } from "node:async_hooks";
import { pino } from "pino";

interface RequestContext {
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/** The app's logger; created once by the composition root (app/services.server.ts) at LOG_LEVEL. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "aisle" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["accessToken", "*.accessToken", "apiKey", "*.apiKey", "authorization", "*.authorization"],
      censor: "[redacted]",
    },
    mixin() {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId } : {};
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;

/** Runs `fn` with a request id attached to every log line it (and anything it awaits) writes. */
export function withRequestContext<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
