import { describe, expect, it } from "vitest";
import { orderStatusOf } from "./customer-context";
import type { OrderSummary } from "./types";

const base: OrderSummary = {
  shop: "s",
  orderId: "1",
  customerId: "2",
  name: "#1",
  placedAt: new Date(0),
  financialStatus: "paid",
  fulfillmentStatus: null,
  cancelledAt: null,
  closedAt: null,
  items: [],
  fulfillments: [],
  sourceUpdatedAt: new Date(0),
};
const shipment = (shipmentStatus: string | null, status = "success") => ({
  status,
  shipmentStatus,
  trackingCompany: null,
  trackingUrl: null,
  updatedAt: null,
});

describe("orderStatusOf", () => {
  it.each([
    [{}, "processing"],
    [{ cancelledAt: new Date(1), fulfillmentStatus: "fulfilled" }, "cancelled"],
    [{ fulfillmentStatus: "fulfilled", fulfillments: [shipment("delivered")] }, "delivered"],
    [{ fulfillmentStatus: "fulfilled", fulfillments: [shipment("delivered"), shipment("in_transit")] }, "in_transit"],
    [{ fulfillmentStatus: "partial", fulfillments: [shipment("out_for_delivery")] }, "out_for_delivery"],
    [{ fulfillmentStatus: "fulfilled", fulfillments: [shipment(null)] }, "shipped"],
    [{ fulfillmentStatus: "partial" }, "partially_shipped"],
    [{ financialStatus: "refunded" }, "refunded"],
    [{ fulfillments: [shipment("delivered", "cancelled")] }, "processing"],
  ] as [Partial<OrderSummary>, string][])("%j → %s", (overrides, expected) => {
    expect(orderStatusOf({ ...base, ...overrides })).toBe(expected);
  });
});
