// Structured JSON logs (pino). Every line written while handling a request carries that
// request's id, taken from an AsyncLocalStorage context opened by the HTTP server (server.mjs).
// Nothing secret or personal is written: see log-redaction.ts (checked by logger.server.test.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream } from "pino";
import { redactForLog, redactText } from "./log-redaction";

interface RequestContext {
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/**
 * The app's logger; created once by the composition root (app/services.server.ts) at LOG_LEVEL.
 * `destination` defaults to stdout.
 */
export function createLogger(level: string, destination?: DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "aisle" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Objects logged, at any depth (errors included: they are serialized here), and the root's bindings.
      log: (object) => redactForLog(object) as Record<string, unknown>,
      bindings: (bindings) => redactForLog(bindings) as Record<string, unknown>,
    },
    serializers: {
      // The message itself, after printf-style interpolation (the Shopify libraries log free text).
      msg: (message: unknown) => (typeof message === "string" ? redactText(message) : message),
    },
    mixin() {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId } : {};
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino applies the bindings formatter to the root only; children (and theirs, which inherit this
  // method) get their bindings redacted here.
  const child = logger.child;
  logger.child = function redactedChild(this: typeof logger, bindings, childOptions) {
    return child.call(this, redactForLog(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}

export type Logger = ReturnType<typeof createLogger>;

/** Runs `fn` with a request id attached to every log line it (and anything it awaits) writes. */
export function withRequestContext<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
