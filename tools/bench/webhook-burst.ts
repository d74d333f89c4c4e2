// The W5 burst of issue 14: 500 webhook deliveries over every topic Aisle subscribes to (a busy shop's
// hour), sent the way Shopify sends a shop's deliveries, 25 in flight. Shared by the W5 test
// (tests/sync/outage-burst.ts: every answer 2xx, nothing lost) and the benchmark
// (tools/bench/webhook-burst-bench.ts: answer times over HTTP through server.mjs).
import { performance } from "node:perf_hooks";
import type { PrismaClient } from "@prisma/client";
import { deletePayload, graphqlProduct, restPayload } from "../lib/catalog-fixtures";
import { percentile } from "../lib/percentile";

export interface BurstDelivery {
  shop: string;
  topic: string;
  body: string;
}

export interface BurstAnswer {
  /** Position in the burst. */
  n: number;
  topic: string;
  status: number;
  ms: number;
}

export const BURST_CONCURRENCY = 25;

/**
 * What the burst leaves when every service behind the workers is down (nothing lost): a sync row for
 * each of the 200 products, pending unless it is a deleted product that was never indexed (nothing for
 * the index to do), and 150 customer, order and privacy jobs waiting.
 */
export const BURST_KEPT = { products: 200, activeJobs: 150 } as const;

/** A shop that has installed the app: its offline session (no refresh token) and its shop record. */
export async function installBurstShop(prisma: PrismaClient, shop: string): Promise<void> {
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken: "shpat_x" },
  });
  await prisma.shop.create({ data: { domain: shop } });
}

const customer = (n: number, shop: string) =>
  JSON.stringify({
    id: 7000 + n,
    admin_graphql_api_id: `gid://shopify/Customer/${7000 + n}`,
    first_name: `Shopper${n}`,
    email: `shopper${n}@example.com`,
    tags: "vip",
    orders_count: 1,
    updated_at: `2026-11-01T00:00:${String(n % 60).padStart(2, "0")}Z`,
    shop_domain: shop,
  });

const order = (n: number) =>
  JSON.stringify({
    id: 9000 + n,
    admin_graphql_api_id: `gid://shopify/Order/${9000 + n}`,
    name: `#${1000 + n}`,
    created_at: "2026-11-01T00:00:00Z",
    updated_at: `2026-11-01T00:01:${String(n % 60).padStart(2, "0")}Z`,
    financial_status: "paid",
    customer: { id: 7000 + (n % 40), admin_graphql_api_id: `gid://shopify/Customer/${7000 + (n % 40)}` },
    line_items: [{ product_id: 1, title: "Trail jacket 1", quantity: 1 }],
    fulfillments: [],
  });

const compliance = (n: number, shop: string, request: boolean) =>
  JSON.stringify({
    shop_id: 1,
    shop_domain: shop,
    customer: { id: 7000 + n, email: `shopper${n}@example.com`, phone: null },
    ...(request ? { orders_requested: [], data_request: { id: 100 + n } } : { orders_to_redact: [] }),
  });

export interface BurstOptions {
  /**
   * Each product update also changes the title ("…, July edition"), so a catalog or vector store
   * left with an older version shows (the scale-out benchmark checks the latest content is indexed).
   */
  editions?: boolean;
}

/**
 * The 500 deliveries: 200 new products then changes and deletes of them, customers, orders, privacy
 * requests, a bulk operation, scope updates, and the uninstall of `other` (what is left: BURST_KEPT).
 */
export function outageBurst(shop: string, other: string, options: BurstOptions = {}): BurstDelivery[] {
  const list: BurstDelivery[] = [];
  const add = (topic: string, body: string, to = shop) => list.push({ shop: to, topic, body });
  const edition = (n: number, month: string) =>
    options.editions ? { title: `Trail jacket ${n}, ${month} edition` } : {};
  for (let n = 1; n <= 200; n++) add("products/create", restPayload(graphqlProduct(n)));
  for (let n = 1; n <= 120; n++)
    add(
      "products/update",
      restPayload(graphqlProduct(n, { updatedAt: "2025-07-01T00:00:00Z", ...edition(n, "July") })),
    );
  for (let n = 181; n <= 200; n++) add("products/delete", deletePayload(n));
  for (let n = 1; n <= 40; n++) add("customers/create", customer(n, shop));
  for (let n = 1; n <= 20; n++) add("customers/update", customer(n, shop));
  for (let n = 31; n <= 35; n++) add("customers/delete", JSON.stringify({ id: 7000 + n }));
  for (let n = 1; n <= 60; n++) add("orders/create", order(n));
  for (let n = 1; n <= 15; n++) add("orders/updated", order(n));
  for (let n = 1; n <= 5; n++) add("customers/redact", compliance(n, shop, false));
  for (let n = 6; n <= 10; n++) add("customers/data_request", compliance(n, shop, true));
  add(
    "bulk_operations/finish",
    JSON.stringify({
      admin_graphql_api_id: "gid://shopify/BulkOperation/1",
      completed_at: "2026-11-01T00:00:00Z",
      created_at: "2026-11-01T00:00:00Z",
      error_code: null,
      status: "completed",
      type: "query",
    }),
  );
  for (let n = 0; n < 3; n++)
    add(
      "app/scopes_update",
      JSON.stringify({
        id: n,
        previous: ["read_products"],
        current: ["read_products", "read_customers", "read_orders"],
        updated_at: "2026-11-01T00:00:00Z",
      }),
    );
  add("app/uninstalled", JSON.stringify({ id: 1, name: "Other", myshopify_domain: other }), other);
  while (list.length < 500) {
    const n = (list.length % 150) + 1;
    add(
      "products/update",
      restPayload(graphqlProduct(n, { updatedAt: "2025-08-01T00:00:00Z", ...edition(n, "August") })),
    );
  }
  return list;
}

/** The shops of a scaled burst: burst-<i>.myshopify.com, each with an `other` shop that uninstalls. */
export const burstShops = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    shop: `burst-${i}.myshopify.com`,
    other: `burst-${i}-other.myshopify.com`,
  }));

/**
 * The burst of `shops.length` busy shops at once (500 deliveries each), interleaved the way their
 * deliveries would arrive together: each shop's own order is kept.
 */
export function scaledBurst(
  shops: readonly { shop: string; other: string }[],
  options: BurstOptions = {},
): BurstDelivery[] {
  const lists = shops.map(({ shop, other }) => outageBurst(shop, other, options));
  const list: BurstDelivery[] = [];
  for (let n = 0; n < Math.max(...lists.map((l) => l.length)); n++) for (const l of lists) if (l[n]) list.push(l[n]);
  return list;
}

export type ProductState = { updatedAt: string; title: string } | "deleted";

/**
 * What a catalog must hold once every delivery is processed, whatever order they arrived in: per
 * "<shop> <legacy product id>", the newest version by `updated_at` (Shopify's order), or "deleted"
 * (a deleted product stays deleted: Shopify never sends it again).
 */
export function latestProductStates(deliveries: readonly BurstDelivery[]): Map<string, ProductState> {
  const latest = new Map<string, ProductState>();
  for (const { shop, topic, body } of deliveries) {
    if (!topic.startsWith("products/")) continue;
    const product = JSON.parse(body) as { id: number; updated_at?: string; title?: string };
    const key = `${shop} ${product.id}`;
    const known = latest.get(key);
    if (topic === "products/delete") latest.set(key, "deleted");
    else if (known !== "deleted" && (!known || product.updated_at! > known.updatedAt))
      latest.set(key, { updatedAt: product.updated_at!, title: product.title! });
  }
  return latest;
}

/**
 * Sends the deliveries with `concurrency` in flight and times each answer. `deliver` returns the
 * HTTP status; a thrown error counts as 500 (what Remix answers for it).
 */
export async function sendBurst(
  deliveries: readonly BurstDelivery[],
  deliver: (delivery: BurstDelivery, n: number) => Promise<number>,
  concurrency = BURST_CONCURRENCY,
): Promise<BurstAnswer[]> {
  const answers: BurstAnswer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const n = next++;
        const started = performance.now();
        let status: number;
        try {
          status = await deliver(deliveries[n], n);
        } catch {
          status = 500;
        }
        answers.push({ n, topic: deliveries[n].topic, status, ms: performance.now() - started });
      }
    }),
  );
  return answers;
}

export interface BurstSummary {
  answered: number;
  ok: number;
  /** Non-2xx answers per topic ({} when every answer was 2xx). */
  failedByTopic: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  p50ByTopic: Record<string, number>;
}

const countBy = (answers: readonly BurstAnswer[]) => {
  const counts: Record<string, number> = {};
  for (const { topic } of answers) counts[topic] = (counts[topic] ?? 0) + 1;
  return counts;
};

export function summariseBurst(answers: readonly BurstAnswer[]): BurstSummary {
  const failed = answers.filter((a) => a.status < 200 || a.status >= 300);
  const ms = answers.map((a) => a.ms);
  const topics = [...new Set(answers.map((a) => a.topic))];
  return {
    answered: answers.length,
    ok: answers.length - failed.length,
    failedByTopic: countBy(failed),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
    p50ByTopic: Object.fromEntries(
      topics.map((t) => [
        t,
        Math.round(
          percentile(
            answers.filter((a) => a.topic === t).map((a) => a.ms),
            50,
          ),
        ),
      ]),
    ),
  };
}

export function formatBurst(label: string, s: BurstSummary): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return (
    `[W5 ${label}] ${s.ok}/${s.answered} 2xx; p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; ` +
    `non-2xx by topic ${JSON.stringify(s.failedByTopic)}; p50 by topic (ms) ${JSON.stringify(s.p50ByTopic)}`
  );
}
