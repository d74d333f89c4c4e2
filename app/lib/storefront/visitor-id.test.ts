import { describe, expect, it } from "vitest";
import { visitorIdSchema } from "./visitor-id";

describe("visitorIdSchema", () => {
  it("accepts the widget's ids and other 8–64 character ids of letters, digits, - and _", () => {
    for (const id of ["0f1e2d3c4b5a69788796a5b4c3d2e1f0", "visitor-1", "a_b-c_d-", "x".repeat(64)]) {
      expect(visitorIdSchema.safeParse(id).success).toBe(true);
    }
  });

  it("refuses ids too short, too long or with other characters, naming the rule", () => {
    for (const id of ["short", "x".repeat(65), "visitor 1!", "visitor/../1", "", 12345678]) {
      const result = visitorIdSchema.safeParse(id);
      expect(result.success).toBe(false);
    }
    expect(visitorIdSchema.safeParse("bad id!!").error?.issues[0]?.message).toBe(
      "visitorId must be 8–64 letters, digits, '-' or '_'",
    );
  });
});
