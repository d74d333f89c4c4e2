// Bounded input at the HTTP server (docs/decisions/094-bounded-input-and-health.md): every request
// body is read here, before Remix or any route sees it, up to the limit of its route, within a
// deadline, and only while a slot of the unauthenticated-work gate is free. A body declared larger
// than the limit is refused without being read; a chunked or lying one is cut off at the limit.
// server.mjs calls `admitRequest` and hands the body it returns to Remix.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger.server";
import { BodyTooLargeError } from "./read-limited-body.server";

/** A route's own body limit; the most specific prefix wins. */
export interface RouteBodyLimit {
  prefix: string;
  maxBytes: number;
  /** A body without this header is refused (401) unread: it cannot be authentic (webhooks' HMAC). */
  requiredHeader?: string;
}

export interface BoundedInputSettings {
  /** Routes without their own limit (MAX_REQUEST_BODY_BYTES). */
  defaultMaxBytes: number;
  routes: readonly RouteBodyLimit[];
  /** Paths that are public as a whole (no authentication at all): gated for the whole request. */
  publicPrefixes: readonly string[];
  /** A body must arrive within this, or 408: a trickled body would hold a gate slot. */
  bodyTimeoutMs: number;
}

/** The login form posts one shop domain; nothing legitimate comes near this. */
export const LOGIN_BODY_LIMIT_BYTES = 8 * 1024;
export const BODY_TIMEOUT_MS = 10_000;
/**
 * After a refusal the rest of a body is read and discarded for at most this long, then the
 * connection is closed: closing at once while the client still sends makes its kernel reset the
 * connection, and clients then report a network error instead of the 413/503 (lingering close).
 */
export const LINGER_MS = 1000;

export class BodyTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`request body not received within ${timeoutMs} ms`);
    this.name = "BodyTimeoutError";
  }
}

class ClientGoneError extends Error {}

/**
 * At most `capacity` holders at once; no queue — a caller that finds it full is refused at once
 * (503), so an attacker's backlog never costs memory or delays honest requests behind it.
 */
export class ConcurrencyGate {
  private inUse = 0;

  constructor(readonly capacity: number) {}

  get active(): number {
    return this.inUse;
  }

  /** A release function (idempotent), or null when every slot is taken. */
  tryEnter(): (() => void) | null {
    if (this.inUse >= this.capacity) return null;
    this.inUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
    };
  }
}

export interface RequestGuard {
  settings: BoundedInputSettings;
  gate: ConcurrencyGate;
  log: Logger;
}

const matches = (path: string, prefix: string) =>
  prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);

/** The limits of the route `path` belongs to (its own, or the default). */
export function routeLimits(settings: BoundedInputSettings, path: string): Omit<RouteBodyLimit, "prefix"> {
  const route = settings.routes
    .filter((candidate) => matches(path, candidate.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return route ?? { maxBytes: settings.defaultMaxBytes };
}

export function isPublicPath(settings: BoundedInputSettings, path: string): boolean {
  return settings.publicPrefixes.some((prefix) => matches(path, prefix));
}

/**
 * The body as bytes, read up to `maxBytes` within `timeoutMs`. Past the limit the stream is
 * paused and left: nothing beyond the limit is kept (the caller answers and closes the connection).
 */
export function readNodeBody(stream: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (!error) return resolve(Buffer.concat(chunks, total));
      stream.pause();
      chunks.length = 0;
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) finish(new BodyTooLargeError(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(new ClientGoneError(error.message));
    const onClose = () => finish(new ClientGoneError("connection closed before the body ended"));
    const timer = setTimeout(() => finish(new BodyTimeoutError(timeoutMs)), timeoutMs);
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ error: code, message }));
  // The rest of the body is discarded, never kept; a client still sending after LINGER_MS is cut off.
  res.once("finish", () => {
    if (req.complete) return;
    const cutOff = setTimeout(() => req.socket.destroy(), LINGER_MS);
    const settled = () => clearTimeout(cutOff);
    req.once("end", settled);
    req.socket.once("close", settled);
    req.removeAllListeners("data");
    req.resume();
  });
}

const hasBody = (req: IncomingMessage) =>
  req.method !== "GET" &&
  req.method !== "HEAD" &&
  (Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined);

/**
 * Admits a request or answers it: 401 for a body without the header its route requires, 413 for a
 * body over its route's limit (declared: before reading; streamed: cut off at the limit), 503 +
 * Retry-After when the unauthenticated-work gate is full, 408 for a body that does not arrive in
 * time. Returns the body read (undefined: none) or null when the request was answered here.
 */
export async function admitRequest(
  guard: RequestGuard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ body: Buffer | undefined } | null> {
  const { settings, gate, log } = guard;
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const withBody = hasBody(req);
  const wholeRequest = isPublicPath(settings, path);
  if (!withBody && !wholeRequest) return { body: undefined };

  const { maxBytes, requiredHeader } = routeLimits(settings, path);
  if (withBody && requiredHeader && !req.headers[requiredHeader]) {
    log.warn({ path, header: requiredHeader }, "body without its required header refused unread");
    refuse(req, res, 401, "unauthorized", `Missing ${requiredHeader}.`);
    return null;
  }
  if (withBody && Number(req.headers["content-length"] ?? 0) > maxBytes) {
    log.warn({ path, limit: maxBytes, declared: Number(req.headers["content-length"]) }, "oversized body refused");
    refuse(req, res, 413, "payload_too_large", `The request body exceeds ${maxBytes} bytes.`);
    return null;
  }
  const release = gate.tryEnter();
  if (!release) {
    log.warn({ path, capacity: gate.capacity }, "unauthenticated work at capacity: request refused");
    refuse(req, res, 503, "busy", "Too many requests at once; try again shortly.", { "retry-after": "1" });
    return null;
  }
  // A public route holds its slot until its answer is sent (or the client leaves).
  if (wholeRequest) res.once("close", release);
  try {
    if (!withBody) return { body: undefined };
    return { body: await readNodeBody(req, maxBytes, settings.bodyTimeoutMs) };
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      log.warn({ path, limit: maxBytes }, "oversized body cut off");
      refuse(req, res, 413, "payload_too_large", `The request body exceeds ${maxBytes} bytes.`);
    } else if (error instanceof BodyTimeoutError) {
      log.warn({ path, timeoutMs: error.timeoutMs }, "slow body refused");
      refuse(req, res, 408, "body_timeout", error.message);
    } else if (error instanceof ClientGoneError) {
      res.destroy();
    } else {
      throw error;
    }
    return null;
  } finally {
    // Once the body is in, the route authenticates it at once (HMAC, signature, session token).
    if (!wholeRequest) release();
  }
}
