import { describe, expect, it } from "vitest";
import { customerContextLines, describeOrderStatus } from "./context-text";
import type { CustomerContext } from "./customer-context";

const latestOrder = {
  orderName: "#1002",
  placedAt: "2026-10-20T09:00:00.000Z",
  status: "in_transit",
  financialStatus: "paid",
  fulfillmentStatus: "fulfilled",
  tracking: [{ company: "UPS", url: "https://ups.example/1Z", shipmentStatus: "in_transit" }],
  items: [{ productId: "1", title: "Trail boots", quantity: 1 }],
};

describe("customer context text", () => {
  it("describes where an order is, with its carrier and tracking link", () => {
    expect(describeOrderStatus(latestOrder)).toBe(
      "Order #1002, placed 2026-10-20, is in transit; carrier UPS, tracking: https://ups.example/1Z.",
    );
    expect(describeOrderStatus({ ...latestOrder, status: "processing", tracking: [] })).toBe(
      "Order #1002, placed 2026-10-20, is being prepared (not shipped yet).",
    );
  });

  it("renders a readable profile, purchases and latest order, and warns when not subscribed", () => {
    const context: CustomerContext = {
      customerId: "706405506930370084",
      firstName: "Bob",
      tags: ["vip"],
      orderCount: 2,
      marketingConsent: "unsubscribed",
      latestOrder,
      purchases: [
        { orderName: "#1002", placedAt: latestOrder.placedAt, status: "in_transit", products: latestOrder.items },
        {
          orderName: "#1001",
          placedAt: "2026-09-01T00:00:00.000Z",
          status: "delivered",
          products: [{ productId: "2", title: "Wool socks", quantity: 3 }],
        },
      ],
    };
    expect(customerContextLines(context)).toEqual([
      "First name: Bob",
      "Customer tags: vip",
      "Orders placed: 2",
      "Marketing: not subscribed — do not push promotions or sign-ups",
      "Recently bought: Trail boots (2026-10-20); Wool socks (2026-09-01)",
      "Latest order: Order #1002, placed 2026-10-20, is in transit; carrier UPS, tracking: https://ups.example/1Z.",
    ]);
    expect(customerContextLines(context).join("\n")).not.toContain("706405506930370084");
  });
});
