// Token ceilings of the storefront chat (decision 104): every model call reserves its worst case on
// the shop's day and minute, the app's day and the visitor's share before it starts, atomically and
// across app instances (two AbuseLimits over one database), and settles to what it used. On SQLite
// and, when the suite has one, on Postgres.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbuseLimits, budgetDay, type AbuseLimitSettings } from "../../app/lib/storefront/abuse-limits.server";
import { suiteDatabases } from "../helpers/postgres-database";

const SHOP = "tokens.myshopify.com";
const at = new Date("2026-11-24T10:00:05Z");

const databases = suiteDatabases("aisle_tokens");

describe.each(databases)("token reservations on $name", ({ open }) => {
  let db: Awaited<ReturnType<typeof open>>;
  let clock = at;
  const limits = (settings: Partial<AbuseLimitSettings> = {}) =>
    new AbuseLimits(
      db.prisma,
      {
        windowSeconds: 60,
        visitorMessagesPerWindow: 100,
        shopMessagesPerWindow: 1000,
        dailyTokenBudget: 10_000,
        shopTokensPerMinute: 0,
        globalDailyTokenBudget: 0,
        visitorTokenShare: 1,
        ...settings,
      },
      { now: () => clock },
    );

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("holds at most the shop's day across two instances racing for it, then settles to real use", async () => {
    const [first, second] = [limits(), limits()];
    // 40 calls of 1,000 tokens from two instances at once against a day of 10,000: exactly 10 fit.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).reserveTokens(SHOP, `visitor-${i}`, 1000)),
    );
    const held = results.flatMap((r) => ("reservation" in r ? [r.reservation] : []));
    const refused = results.flatMap((r) => ("refused" in r ? [r.refused] : []));
    expect({ held: held.length, refused: new Set(refused) }).toEqual({ held: 10, refused: new Set(["shop_day"]) });
    expect(await first.tokensToday(SHOP)).toBe(10_000);
    // Each call used 300 of its 1,000: the day shows real use and has room again.
    await Promise.all(held.map((reservation) => reservation.settle(300)));
    expect(await second.tokensToday(SHOP)).toBe(3000);
    // Settling twice changes nothing.
    await held[0].settle(0);
    expect(await first.tokensToday(SHOP)).toBe(3000);
    expect("reservation" in (await first.reserveTokens(SHOP, "visitor-x", 7000))).toBe(true);
    expect(await first.reserveTokens(SHOP, "visitor-y", 1)).toEqual({ refused: "shop_day" });
  });

  it("caps one visitor at their share of the shop's day; others still get theirs", async () => {
    await db.prisma.chatTokenUsage.deleteMany();
    const shared = limits({ visitorTokenShare: 0.1 }); // 1,000 of 10,000
    const greedy = await Promise.all(Array.from({ length: 5 }, () => shared.reserveTokens(SHOP, "greedy", 400)));
    expect(greedy.filter((r) => "reservation" in r)).toHaveLength(2);
    expect(greedy.find((r) => "refused" in r)).toEqual({ refused: "visitor_share" });
    expect("reservation" in (await shared.reserveTokens(SHOP, "someone-else", 400))).toBe(true);
    // The refused calls held nothing anywhere: the shop's day has 3 × 400.
    expect(await shared.tokensToday(SHOP)).toBe(1200);
  });

  it("L5 caps one client address at its share whatever visitor ids it rotates; other addresses unaffected", async () => {
    await db.prisma.chatTokenUsage.deleteMany();
    const shared = limits({ visitorTokenShare: 0.1, ipTokenShare: 0.25 }); // 1,000 per visitor, 2,500 per address
    // Ten fresh visitors on one address, 400 each: the address's 2,500 holds six.
    const rotating = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        shared.reserveTokens(SHOP, { visitorKey: `rotating-${i}`, addressKey: "address-1" }, 400),
      ),
    );
    expect(rotating.filter((r) => "reservation" in r)).toHaveLength(6);
    expect(new Set(rotating.flatMap((r) => ("refused" in r ? [r.refused] : [])))).toEqual(new Set(["ip_share"]));
    const elsewhere = await shared.reserveTokens(SHOP, { visitorKey: "shopper", addressKey: "address-2" }, 400);
    expect("reservation" in elsewhere).toBe(true);
    expect(await shared.tokensToday(SHOP)).toBe(7 * 400);
  });

  it("caps a shop's minute and the app's day, and a new minute or day starts afresh", async () => {
    await db.prisma.chatTokenUsage.deleteMany();
    const perMinute = limits({ shopTokensPerMinute: 2000 });
    expect("reservation" in (await perMinute.reserveTokens(SHOP, "a", 1500))).toBe(true);
    expect(await perMinute.reserveTokens(SHOP, "b", 1000)).toEqual({ refused: "shop_minute" });
    clock = new Date(at.getTime() + 60_000);
    expect("reservation" in (await perMinute.reserveTokens(SHOP, "b", 1000))).toBe(true);

    const app = limits({ globalDailyTokenBudget: 5000, dailyTokenBudget: 100_000 });
    expect("reservation" in (await app.reserveTokens("other-shop.myshopify.com", "c", 2400))).toBe(true);
    expect(await app.reserveTokens(SHOP, "d", 2700)).toEqual({ refused: "global_day" });
    clock = new Date(`${budgetDay(new Date(at.getTime() + 86_400_000))}T00:00:01Z`);
    expect("reservation" in (await app.reserveTokens(SHOP, "d", 2700))).toBe(true);
    clock = at;
  });
});
