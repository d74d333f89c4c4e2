// The shopper's address for per-IP limits (issue 15, decision 105). X-Forwarded-For is a list each
// proxy appends to, so only the entries added by proxies we run behind are facts; anything to their
// left was written by the client. With `trustedHops` proxies in front, the address is the entry that
// many places from the right of [...X-Forwarded-For, socket address] (the socket counts as the last).
import { isIP } from "node:net";

export function clientAddress(input: {
  forwardedFor: string | null;
  socketAddress: string | null | undefined;
  trustedHops: number;
}): string | null {
  const chain = (input.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (input.socketAddress) chain.push(input.socketAddress);
  if (!chain.length) return null;
  // Fewer entries than trusted hops: the leftmost one we have (it was still written by a trusted proxy).
  const picked = chain[Math.max(0, chain.length - 1 - input.trustedHops)];
  return normalizeAddress(picked);
}

/**
 * The address as limits count it: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 — one
 * subscriber's network, whose 2^64 addresses a client can rotate through freely. Not an IP: null.
 */
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  // "[2001:db8::1]:443" and "203.0.113.7:51234" (some proxies append the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.replace(/%.*$/, ""); // zone id
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1];
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return null;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part stands for two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
