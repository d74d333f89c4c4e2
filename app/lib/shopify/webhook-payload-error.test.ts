import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  applyPayloadPolicy,
  parseWebhookJson,
  validateWebhookBody,
  WebhookPayloadError,
} from "./webhook-payload-error";

const delivery = { shop: "s.myshopify.com", topic: "ORDERS_CREATE", webhookId: "wh-1" };

describe("the webhook payload policy", () => {
  it("reports a handled delivery as accepted and logs nothing", async () => {
    const log = { error: vi.fn() };
    expect(await applyPayloadPolicy(delivery, log, async () => {})).toBe("accepted");
    expect(log.error).not.toHaveBeenCalled();
  });

  it("turns a payload error into 'rejected' with one error line naming the delivery and the reason", async () => {
    const log = { error: vi.fn() };
    const outcome = await applyPayloadPolicy(delivery, log, async () => {
      throw new WebhookPayloadError("orders/create|updated", "name: too short");
    });
    expect(outcome).toBe("rejected");
    expect(log.error).toHaveBeenCalledOnce();
    expect(log.error).toHaveBeenCalledWith({ ...delivery, reason: "name: too short" }, expect.any(String));
  });

  it("lets every other failure through, so the delivery fails and Shopify retries it", async () => {
    const log = { error: vi.fn() };
    const down = new Error("database is down");
    await expect(applyPayloadPolicy(delivery, log, () => Promise.reject(down))).rejects.toBe(down);
    expect(log.error).not.toHaveBeenCalled();
  });

  it("names bad JSON and the first invalid field as payload errors", () => {
    expect(() => parseWebhookJson("t", "{", JSON.parse)).toThrow(WebhookPayloadError);
    expect(() => parseWebhookJson("t", "{", JSON.parse)).toThrow(/t payload rejected: body is not JSON/);
    const schema = z.object({ items: z.array(z.object({ quantity: z.number() })) });
    expect(() => validateWebhookBody("t", schema, { items: [{ quantity: "1" }] })).toThrow(/items\.0\.quantity/);
    expect(validateWebhookBody("t", schema, { items: [] })).toEqual({ items: [] });
  });
});
