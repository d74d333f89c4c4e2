import { describe, expect, it } from "vitest";
import { checkShopperMessage } from "./shopper-message";

describe("checkShopperMessage", () => {
  it("trims and accepts a message within the limit", () => {
    expect(checkShopperMessage("  a tent?  ", 8)).toEqual({ ok: true, message: "a tent?" });
  });
  it("refuses an empty or blank message", () => {
    expect(checkShopperMessage(" \n ", 8)).toMatchObject({ ok: false, code: "empty_message" });
  });
  it("counts the trimmed message against the limit", () => {
    expect(checkShopperMessage("123456789", 8)).toMatchObject({ ok: false, code: "message_too_long" });
    expect(checkShopperMessage(" 12345678 ", 8)).toMatchObject({ ok: true });
  });
});
