// Input rules shared by the customer features: a bad value is a CustomerStoreError and nothing is
// written. Pure.
import { CustomerStoreError } from "./types";

const MAX_ID_CHARS = 128;
/** The largest page a caller may ask for, and the page size of internal full scans. */
export const PAGE_MAX = 100;

export function requireText(what: string, value: string, max = MAX_ID_CHARS): string {
  if (typeof value !== "string" || !value.trim()) throw new CustomerStoreError(`${what} is required`);
  if (value.length > max) throw new CustomerStoreError(`${what} is longer than ${max} characters`);
  return value;
}

export function requireCustomerId(value: string): string {
  if (!/^\d{1,20}$/.test(value))
    throw new CustomerStoreError(`customer id must be Shopify's numeric id, got "${value}"`);
  return value;
}

export function pageLimit(limit: number | undefined): number {
  const value = limit ?? 20;
  if (!Number.isInteger(value) || value < 1 || value > PAGE_MAX) {
    throw new CustomerStoreError(`page limit must be an integer from 1 to ${PAGE_MAX}`);
  }
  return value;
}
