import { describe, expect, it } from "vitest";
import { BodyTooLargeError, readLimitedBody } from "./read-limited-body.server";

function streamed(parts: string[]): Request {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
  return new Request("http://app.test/webhooks", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readLimitedBody", () => {
  it("returns the exact text of a body within the limit", async () => {
    expect(await readLimitedBody(streamed(['{"a":', '"é"}']), 100)).toBe('{"a":"é"}');
  });

  it("refuses a declared length over the limit without reading", async () => {
    const request = new Request("http://app.test/x", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "1000000" },
    });
    await expect(readLimitedBody(request, 100)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("stops reading a streamed body once it passes the limit", async () => {
    await expect(readLimitedBody(streamed(["x".repeat(60), "y".repeat(60)]), 100)).rejects.toThrow(
      "request body exceeds 100 bytes",
    );
  });

  it("does not trust a Content-Length that understates the body", async () => {
    const request = streamed(["x".repeat(60), "y".repeat(60)]);
    request.headers.set("content-length", "10");
    await expect(readLimitedBody(request, 100)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("reads a body whose Content-Length is not a number, and no body as empty text", async () => {
    const request = streamed(["ok"]);
    request.headers.set("content-length", "many");
    expect(await readLimitedBody(request, 100)).toBe("ok");
    expect(await readLimitedBody(new Request("http://app.test/x"), 100)).toBe("");
  });
});
