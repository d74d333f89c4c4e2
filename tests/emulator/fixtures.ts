// Paths into ../shared/data (read-only, never committed). Tests using them skip, saying so, when absent.
import { existsSync } from "node:fs";
import path from "node:path";

export const SHARED_DATA = path.resolve("..", "shared", "data");
export const FIXTURES = path.join(SHARED_DATA, "shopify-fixtures");
export const DRAFT_PROXY = path.join(FIXTURES, "shopify-draft-proxy");
export const REAL_SDL_2026_07 = path.join(DRAFT_PROXY, "config", "admin-graphql", "2026-07", "schema.graphql");
export const DERIVED_JSONL = path.join(DRAFT_PROXY, "derived-jsonl");
export const CONFORMANCE = path.join(DRAFT_PROXY, "fixtures", "conformance");
export const WEBHOOK_SAMPLES = path.join(FIXTURES, "shopify-dev-docs", "webhooks-2026-07");
export const SIGNATURES = path.join(FIXTURES, "shopify-dev-docs", "signatures");

export function fixturesPresent(what: string, file: string): boolean {
  const present = existsSync(file);
  if (!present) console.warn(`[skipped] ${what}: ${file} is absent (shared data not mounted).`);
  return present;
}
