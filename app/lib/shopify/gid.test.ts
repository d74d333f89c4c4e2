import { describe, expect, it } from "vitest";
import { gidPrefix, gidType, legacyId, productGid, shopifyGid } from "./gid";

describe("Shopify GIDs", () => {
  it("builds a GID of any resource type", () => {
    expect(shopifyGid("ProductVariant", 42)).toBe("gid://shopify/ProductVariant/42");
    expect(shopifyGid("Product", "7")).toBe("gid://shopify/Product/7");
    expect(shopifyGid("Product", "7").startsWith(gidPrefix("Product"))).toBe(true);
  });

  it("names the resource type of a GID, and nothing for anything else", () => {
    expect(gidType("gid://shopify/ProductVariant/1")).toBe("ProductVariant");
    expect(gidType("gid://shopify/MediaImage/9")).toBe("MediaImage");
    expect(gidType("123")).toBeUndefined();
    expect(gidType(123)).toBeUndefined();
    expect(gidType(null)).toBeUndefined();
  });

  it("gives a product's GID from a numeric id and leaves a GID alone", () => {
    expect(productGid("1234567890123456789")).toBe("gid://shopify/Product/1234567890123456789");
    expect(productGid(12)).toBe("gid://shopify/Product/12");
    expect(productGid("gid://shopify/Product/12")).toBe("gid://shopify/Product/12");
  });

  it("reads the numeric id of a GID, exactly (ids beyond 2^53 stay digits)", () => {
    expect(legacyId("gid://shopify/ProductVariant/9007199254740993")).toBe("9007199254740993");
    expect(legacyId("123")).toBe("123");
  });
});
