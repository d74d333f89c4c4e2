// Webhook routes refuse what they must before any work: oversized bodies (413) and
// deliveries whose HMAC does not verify (401), on the real built app.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/lib/ports";
import { DEMO_APP_CREDENTIALS, startStack, type RunningStack } from "../../tools/stack";

let stack: RunningStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-webhook-limits-"));
  stack = await startStack({ dataDir, appPort: await freePort(), chromaPort: await freePort() });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function deliver(body: string, hmac: string | null) {
  return fetch(`${stack.app.url}/webhooks/products/update`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "products/update",
      ...(hmac === null ? {} : { "x-shopify-hmac-sha256": hmac }),
      "x-shopify-shop-domain": "limits.myshopify.com",
      "x-shopify-webhook-id": "limits-1",
      "x-shopify-api-version": "2026-07",
    },
  });
}

const sign = (body: string) => createHmac("sha256", DEMO_APP_CREDENTIALS.apiSecret).update(body).digest("base64");

describe("webhook limits", () => {
  it("answers 413 to an oversized body", async () => {
    const body = JSON.stringify({ padding: "x".repeat(6 * 1024 * 1024) });
    const response = await deliver(body, sign(body));
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe("payload_too_large");
  });

  it("answers 401 to a forged HMAC", async () => {
    const body = JSON.stringify({ id: 1, admin_graphql_api_id: "gid://shopify/Product/1" });
    const response = await deliver(body, createHmac("sha256", "not-the-secret").update(body).digest("base64"));
    expect(response.status).toBe(401);
  });

  it("answers 401 to a delivery with no HMAC at all", async () => {
    const response = await deliver(JSON.stringify({ id: 1 }), null);
    expect(response.status).toBe(401);
  });
});
