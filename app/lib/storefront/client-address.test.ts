import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress } from "./client-address";

describe("the shopper's address", () => {
  it("takes the entry the trusted proxies wrote, never one the client put further left", () => {
    // The client claims 1.1.1.1; Shopify's proxy (one hop) appended the real 203.0.113.7.
    const forwardedFor = "1.1.1.1, 203.0.113.7";
    expect(clientAddress({ forwardedFor, socketAddress: "10.0.0.2", trustedHops: 1 })).toBe("203.0.113.7");
    // Behind a load balancer as well: one more hop.
    expect(
      clientAddress({ forwardedFor: "1.1.1.1, 203.0.113.7, 198.51.100.9", socketAddress: "10.0.0.2", trustedHops: 2 }),
    ).toBe("203.0.113.7");
    // No proxy trusted: the socket, whatever the header says.
    expect(clientAddress({ forwardedFor, socketAddress: "198.51.100.1", trustedHops: 0 })).toBe("198.51.100.1");
    // Fewer entries than hops: the leftmost present.
    expect(clientAddress({ forwardedFor: null, socketAddress: "198.51.100.1", trustedHops: 1 })).toBe("198.51.100.1");
    expect(clientAddress({ forwardedFor: null, socketAddress: null, trustedHops: 1 })).toBeNull();
    expect(clientAddress({ forwardedFor: "not-an-ip", socketAddress: "10.0.0.1", trustedHops: 1 })).toBeNull();
  });

  it("counts IPv4 as is (ports, IPv4-mapped) and IPv6 by its /64", () => {
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress("2001:db8:0:1:aaaa::1")).toBe("2001:db8:0:1::/64");
    expect(normalizeAddress("[2001:0db8:0000:0001:ffff:1:2:3]:443")).toBe("2001:db8:0:1::/64");
    expect(normalizeAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(normalizeAddress("::1")).toBe("0:0:0:0::/64");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(normalizeAddress("evil")).toBeNull();
  });
});
