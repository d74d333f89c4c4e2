// Webhook routes refuse what they must before any work: oversized bodies (413) and
// deliveries whose HMAC does not verify (401), on the real built app.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/lib/ports";
import { DEMO_APP_CREDENTIALS, startStack, type RunningStack } from "../../tools/stack";
import { signedWebhookRequest } from "../kit/signed-requests";

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

/** A products/update delivery signed with `secret`; `hmac: null` sends it without a signature. */
function deliver(body: string, options: { secret?: string; hmac?: null } = {}) {
  const request = signedWebhookRequest({
    appUrl: stack.app.url,
    secret: options.secret ?? DEMO_APP_CREDENTIALS.apiSecret,
    shop: "limits.myshopify.com",
    topic: "products/update",
    body,
    webhookId: "limits-1",
    hmac: options.hmac,
  });
  return fetch(request);
}

describe("webhook limits", () => {
  it("answers 413 to an oversized body", async () => {
    const body = JSON.stringify({ padding: "x".repeat(6 * 1024 * 1024) });
    const response = await deliver(body);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe("payload_too_large");
  });

  it("answers 401 to a forged HMAC", async () => {
    const body = JSON.stringify({ id: 1, admin_graphql_api_id: "gid://shopify/Product/1" });
    const response = await deliver(body, { secret: "not-the-secret" });
    expect(response.status).toBe(401);
  });

  it("answers 401 to a delivery with no HMAC at all", async () => {
    const response = await deliver(JSON.stringify({ id: 1 }), { hmac: null });
    expect(response.status).toBe(401);
  });
});
