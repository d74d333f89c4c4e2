import { describe, expect, it } from "vitest";
import { visitorGroup } from "./holdout";
import { compareGroups } from "./holdout-stats";

describe("visitor groups", () => {
  it("puts everyone in the assistant group when the holdout is off", () => {
    expect(visitorGroup("a.myshopify.com", "v1", 0)).toBe("assistant");
  });

  it("keeps a visitor in one group and splits many visitors near the share", () => {
    expect(visitorGroup("a.myshopify.com", "v42", 20)).toBe(visitorGroup("a.myshopify.com", "v42", 20));
    const held = Array.from({ length: 10_000 }, (_, i) => visitorGroup("a.myshopify.com", `v${i}`, 20)).filter(
      (group) => group === "holdout",
    ).length;
    expect(held).toBeGreaterThan(1_850);
    expect(held).toBeLessThan(2_150);
  });
});

describe("holdout comparison", () => {
  it("gives the difference with a 95 % interval (checked by hand) and the visitors still needed", () => {
    const result = compareGroups({ visitors: 1000, orders: 50 }, { visitors: 1000, orders: 30 });
    expect(result.assistant.conversion).toBe(0.05);
    expect(result.holdout.conversion).toBe(0.03);
    // se = sqrt(.05·.95/1000 + .03·.97/1000) = 0.0087521; 1.959964 se = 0.0171539.
    expect(result.difference!.estimate).toBeCloseTo(0.02, 10);
    expect(result.difference!.low).toBeCloseTo(0.0028461, 6);
    expect(result.difference!.high).toBeCloseTo(0.0371539, 6);
    expect(result.significant).toBe(true);
    // n = (1.959964 + 0.841621)² · (.0475 + .0291) / .02² = 1,503.06, so 1,504 per group.
    expect(result.neededPerGroup).toBe(1504);
    expect(result.moreVisitorsNeeded).toBe(1008);
  });

  it("says nothing is known yet without visitors, and that no difference needs no sample", () => {
    expect(compareGroups({ visitors: 0, orders: 0 }, { visitors: 10, orders: 1 }).difference).toBeNull();
    const same = compareGroups({ visitors: 100, orders: 5 }, { visitors: 100, orders: 5 });
    expect(same.significant).toBe(false);
    expect(same.neededPerGroup).toBeNull();
  });
});
