// The periodic retention hook: runs at once, then on every interval, until stopped.
import { afterAll, describe, expect, it, vi } from "vitest";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { createTestDatabase } from "../helpers/database";

const { prisma } = createTestDatabase();
afterAll(() => prisma.$disconnect());

describe("startRetentionJob", () => {
  it("is the only thing that starts a timer: creating the service starts none, and stop clears it", () => {
    vi.useFakeTimers();
    try {
      // Retention 0: the immediate purge is a no-op, so nothing touches the database here.
      const service = createCustomerService(new PrismaCustomerStore(prisma), { retentionDays: 0 });
      expect(vi.getTimerCount()).toBe(0);
      const stop = service.startRetentionJob(1000);
      expect(vi.getTimerCount()).toBe(1);
      stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("purges expired conversations now and periodically, and stops when asked", async () => {
    const store = new PrismaCustomerStore(prisma);
    let clock = new Date("2026-01-01T00:00:00Z");
    const service = createCustomerService(store, { retentionDays: 7, now: () => clock });
    const shop = "retention.myshopify.com";
    const stale = async () => {
      const previous = clock;
      clock = new Date(clock.getTime() - 30 * 86_400_000);
      const conversation = await service.openConversation({ shop, visitorId: "v", customerId: null });
      clock = previous;
      return conversation.id;
    };
    const first = await stale();
    const stop = service.startRetentionJob(25);
    await vi.waitFor(async () => expect(await store.getConversation(shop, first)).toBeNull());
    const second = await stale();
    await vi.waitFor(async () => expect(await store.getConversation(shop, second)).toBeNull());
    stop();
    const third = await stale();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.getConversation(shop, third)).not.toBeNull();
  });
});
