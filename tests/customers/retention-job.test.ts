// The periodic retention hook: runs at once, then on every interval, until stopped.
import { afterAll, describe, expect, it, vi } from "vitest";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { createTestDatabase } from "../helpers/database";

const { prisma } = createTestDatabase();
afterAll(() => prisma.$disconnect());

describe("startRetentionJob", () => {
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
