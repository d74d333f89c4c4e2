import { describe, expect, it } from "vitest";
import { VisitorIds } from "./signed-visitor-id.server";
import { visitorIdSchema } from "./visitor-id";

const ids = new VisitorIds("app-secret-for-visitor-ids");
const SHOP = "a-shop.myshopify.com";

describe("server-issued visitor ids", () => {
  it("issues distinct ids of the wire's shape that verify for their shop", () => {
    const issued = Array.from({ length: 50 }, () => ids.issue(SHOP));
    expect(new Set(issued).size).toBe(50);
    for (const id of issued) {
      expect(visitorIdSchema.safeParse(id).success).toBe(true);
      expect(ids.verify(SHOP, id)).toBe(true);
    }
  });

  it("refuses a client's own id, a tampered one, another shop's and another secret's", () => {
    const id = ids.issue(SHOP);
    const flipped = `${id.slice(0, 10)}${id[10] === "A" ? "B" : "A"}${id.slice(11)}`;
    for (const forged of ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", flipped, id.slice(0, -1), `${id}x`, "", null]) {
      expect(ids.verify(SHOP, forged)).toBe(false);
    }
    expect(ids.verify("b-shop.myshopify.com", id)).toBe(false);
    expect(new VisitorIds("another-secret").verify(SHOP, id)).toBe(false);
  });

  it("replaces anything unverified with a new id and keeps a verified one", () => {
    const id = ids.issue(SHOP);
    expect(ids.verifiedOrNew(SHOP, id)).toEqual({ visitorId: id, issued: false });
    const replaced = ids.verifiedOrNew(SHOP, "visitor-chosen-by-client");
    expect(replaced.issued).toBe(true);
    expect(ids.verify(SHOP, replaced.visitorId)).toBe(true);
  });
});
