// The scaled burst of the scale-out benchmark and the catalog state it must leave: the benchmark's
// "lost" and "stale" counts are only as good as this expectation.
import { describe, expect, it } from "vitest";
import { burstShops, latestProductStates, outageBurst, scaledBurst } from "./webhook-burst";

const shops = burstShops(3);

describe("scaledBurst", () => {
  it("sends every shop's 500 deliveries, each shop's in its own order", () => {
    const list = scaledBurst(shops, { editions: true });
    expect(list).toHaveLength(1500);
    for (const { shop, other } of shops) {
      const own = list.filter((d) => d.shop === shop || d.shop === other);
      expect(own).toEqual(outageBurst(shop, other, { editions: true }));
    }
    // Interleaved: the first deliveries come from every shop, not 500 of the first one.
    expect(new Set(list.slice(0, 3).map((d) => d.shop))).toEqual(new Set(shops.map((s) => s.shop)));
  });

  it("changes titles with each update only with editions (the W5 burst is unchanged)", () => {
    const titles = (editions: boolean) =>
      new Set(
        outageBurst("a.myshopify.com", "b.myshopify.com", { editions })
          .filter((d) => d.topic === "products/update")
          .map((d) => (JSON.parse(d.body) as { title: string }).title),
      );
    expect([...titles(false)].every((t) => /^Trail jacket \d+$/.test(t))).toBe(true);
    expect(titles(true)).toContain("Trail jacket 1, July edition");
  });
});

describe("latestProductStates", () => {
  const { shop } = shops[0];
  const states = latestProductStates(scaledBurst(shops, { editions: true }));

  it("keeps the newest version whatever the arrival order, and deletes for good", () => {
    expect(states.size).toBe(600);
    expect(states.get(`${shop} 1`)).toEqual({
      updatedAt: "2025-07-01T00:00:00Z",
      title: "Trail jacket 1, July edition",
    });
    expect(states.get(`${shop} 150`)).toEqual({ updatedAt: "2025-06-01T00:00:00Z", title: "Trail jacket 150" });
    expect(states.get(`${shop} 190`)).toBe("deleted");
    const reversed = latestProductStates([...scaledBurst(shops, { editions: true })].reverse());
    expect(reversed).toEqual(states);
  });

  it("counts 180 live and 20 deleted products a shop", () => {
    const mine = [...states].filter(([key]) => key.startsWith(`${shop} `));
    expect(mine.filter(([, s]) => s === "deleted")).toHaveLength(20);
    expect(mine).toHaveLength(200);
  });
});
