// The holdout test (decision 113), pure: which group a visitor is in, and what the two groups' orders
// per visitor say with a 95 % confidence interval, and how many more visitors that needs.
import { createHash } from "node:crypto";
import type { VisitorGroup } from "./order-facts";

/**
 * The visitor's group: a hash of shop and visitor id, so the same visitor stays in the same group on every
 * visit and instance, with no stored assignment, and the shares match `holdoutPercent` over many visitors.
 */
export function visitorGroup(shop: string, visitorId: string, holdoutPercent: number): VisitorGroup {
  if (holdoutPercent <= 0) return "assistant";
  const bucket = createHash("sha256").update(`${shop}\n${visitorId}`).digest().readUInt32BE(0) % 10_000;
  return bucket < holdoutPercent * 100 ? "holdout" : "assistant";
}
