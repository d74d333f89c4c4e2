import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  BodyTimeoutError,
  ConcurrencyGate,
  isPublicPath,
  readNodeBody,
  routeLimits,
  type BoundedInputSettings,
} from "./bounded-input.server";
import { BodyTooLargeError } from "./read-limited-body.server";

const settings: BoundedInputSettings = {
  defaultMaxBytes: 1000,
  routes: [
    { prefix: "/auth/login", maxBytes: 10 },
    { prefix: "/webhooks/", maxBytes: 5000, requiredHeader: "x-shopify-hmac-sha256" },
    { prefix: "/proxy/", maxBytes: 100 },
  ],
  publicPrefixes: ["/auth"],
  bodyTimeoutMs: 1000,
};

/** A stand-in for the request stream: readNodeBody uses only the stream side of IncomingMessage. */
const stream = () => new PassThrough() as unknown as IncomingMessage & PassThrough;

describe("route limits", () => {
  it("gives each route its own limit, and the default to the rest", () => {
    const limit = (path: string) => routeLimits(settings, path).maxBytes;
    expect(limit("/auth/login")).toBe(10);
    expect(limit("/auth/login/")).toBe(10);
    expect(limit("/auth/loginx")).toBe(1000);
    expect(limit("/webhooks/products/update")).toBe(5000);
    expect(limit("/proxy/chat")).toBe(100);
    expect(limit("/app/settings")).toBe(1000);
    expect(routeLimits(settings, "/webhooks/app/uninstalled").requiredHeader).toBe("x-shopify-hmac-sha256");
    expect(routeLimits(settings, "/proxy/chat").requiredHeader).toBeUndefined();
  });

  it("treats /auth and everything under it as public as a whole", () => {
    expect(isPublicPath(settings, "/auth")).toBe(true);
    expect(isPublicPath(settings, "/auth/callback")).toBe(true);
    expect(isPublicPath(settings, "/authx")).toBe(false);
    expect(isPublicPath(settings, "/proxy/chat")).toBe(false);
  });
});

describe("ConcurrencyGate", () => {
  it("admits up to its capacity, refuses the next, and frees a slot once per release", () => {
    const gate = new ConcurrencyGate(2);
    const first = gate.tryEnter();
    const second = gate.tryEnter();
    expect(first && second).toBeTruthy();
    expect(gate.tryEnter()).toBeNull();
    first?.();
    first?.();
    expect(gate.active).toBe(1);
    expect(gate.tryEnter()).not.toBeNull();
    expect(gate.tryEnter()).toBeNull();
  });
});

describe("readNodeBody", () => {
  it("returns the exact bytes of a body within the limit", async () => {
    const body = stream();
    const read = readNodeBody(body, 10, 1000);
    body.write("shop=");
    body.end(Buffer.from("é!"));
    expect((await read).toString("utf8")).toBe("shop=é!");
  });

  it("stops at the limit without waiting for the end of the stream", async () => {
    const body = stream();
    const read = readNodeBody(body, 10, 1000);
    body.write("x".repeat(8));
    body.write("y".repeat(8));
    await expect(read).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(body.isPaused()).toBe(true);
  });

  it("gives up on a body that does not arrive in time", async () => {
    const body = stream();
    const read = readNodeBody(body, 10, 20);
    body.write("x");
    await expect(read).rejects.toBeInstanceOf(BodyTimeoutError);
  });
});
