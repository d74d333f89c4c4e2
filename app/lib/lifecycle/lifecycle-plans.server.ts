// What each lifecycle job does, as idempotent steps (lifecycle-jobs.server.ts records each finished
// step, so a retry resumes after the last one). shop/redact goes from the outside in: the vector
// store first, then the customer store, then the app's own rows — the shop record last, so until
// the end there is a row that says what is left to delete.
import type { PrismaClient } from "@prisma/client";
import type { Privacy } from "../customers/privacy.server";
import type { CustomerProfile, CustomerStore, OrderSummary } from "../customers/types";
import type { Logger } from "../logger.server";
import type { OrderAttributions } from "../results/order-attributions.server";
import { decodeFacts } from "../results/order-facts";
import type { ProductIndex } from "../search/product-index";
import { deleteShopRows, recordUninstall, redactAllowed } from "../sync/shop-lifecycle.server";
import type { JobPlan, PlanJob, RunnableJob } from "./lifecycle-jobs.server";

export interface LifecyclePlanDependencies {
  db: PrismaClient;
  log: Logger;
  index: Pick<ProductIndex, "dropShop">;
  customers: Pick<Privacy, "deleteShopData" | "redactCustomer" | "exportCustomerData">;
  /**
   * Asks Shopify whether the app is still installed (probeAdminAccess): tells a lost app/uninstalled
   * apart from a reinstall when shop/redact finds the shop looking installed (decision 093).
   */
  adminAccess?: (shop: string) => Promise<"installed" | "refused">;
  /** Where customer and order records go (the customer store). */
  records: Pick<CustomerStore, "upsertCustomer" | "deleteCustomer" | "deleteCustomerOrders" | "upsertOrder">;
  /** Results: every order's attribution (decision 112). */
  attributions: Pick<OrderAttributions, "apply" | "deleteShop" | "redactOrders">;
  /** APPWRITE_PRODUCTS: the shop's product documents in Appwrite (decision 120). */
  productMirror?: { removeShop(shop: string): Promise<number> };
  /** Fires the handoff's Shopify Flow trigger (app/lib/handoff, decision 124). */
  flowTrigger?: (shop: string, handoffId: string) => Promise<string>;
}

// The date fields of CustomerProfile and OrderSummary (and its fulfillments), stored as JSON strings.
const DATE_FIELDS = new Set(["sourceUpdatedAt", "placedAt", "cancelledAt", "closedAt", "updatedAt"]);

/** The record a customer or order job keeps (JSON), with its dates back as Dates. */
function recordOf<T>(job: RunnableJob): T {
  return JSON.parse(requireInput(job, "record"), (key, value: unknown) =>
    DATE_FIELDS.has(key) && typeof value === "string" ? new Date(value) : value,
  ) as T;
}

function requireInput(job: RunnableJob, field: string): string {
  const value = job.input[field];
  if (!value) throw new Error(`${job.topic} job has no ${field}`);
  return value;
}

export function lifecyclePlans(deps: LifecyclePlanDependencies): PlanJob {
  const { db, log, index, customers, records, adminAccess, attributions, productMirror, flowTrigger } = deps;

  /**
   * shop/redact for a shop that still looks installed: installed again after the event (keep everything),
   * or its app/uninstalled was lost (Shopify refuses the app's token): then record the uninstall as of the
   * event and redact. A shop installed after the event is not asked about.
   */
  async function lostUninstall(shop: string, eventAt: Date): Promise<boolean> {
    if (!adminAccess) return false;
    const record = await db.shop.findUnique({ where: { domain: shop }, select: { installedAt: true } });
    if (!record || record.installedAt > eventAt) return false;
    if ((await adminAccess(shop)) === "installed") return false;
    log.warn({ shop }, "shop/redact for a shop whose app/uninstalled never arrived: Shopify refuses its token");
    await recordUninstall(db, log, shop, eventAt);
    return true;
  }

  return (job): JobPlan => {
    const { shop, eventAt } = job;
    switch (job.topic) {
      case "app/uninstalled":
        return {
          steps: [
            {
              name: "sessions",
              run: async () =>
                (await recordUninstall(db, log, shop, eventAt)) === "reinstalled"
                  ? "installed again since the event: nothing changed"
                  : "uninstalled",
            },
          ],
        };
      case "shop/redact":
        return {
          // Re-checked before every step: a reinstall halfway through stops the deletion.
          skip: async () =>
            (await redactAllowed(db, shop, eventAt)) || (await lostUninstall(shop, eventAt))
              ? null
              : "installed again since the event: nothing deleted",
          steps: [
            { name: "vector store", run: () => index.dropShop(shop) },
            ...(productMirror
              ? [{ name: "product mirror", run: async () => void (await productMirror.removeShop(shop)) }]
              : []),
            { name: "customer store", run: async () => void (await customers.deleteShopData(shop)) },
            { name: "results", run: async () => void (await attributions.deleteShop(shop)) },
            {
              name: "app rows",
              run: async () => {
                const counts = await deleteShopRows(db, shop);
                // The shop's other jobs may name customers; this job keeps only the shop domain.
                await db.lifecycleJob.deleteMany({ where: { shop, webhookId: { not: job.webhookId } } });
                log.info({ shop, ...counts }, "shop redacted");
                return "redacted";
              },
            },
          ],
        };
      case "customers/redact":
        return {
          steps: [
            {
              name: "customer data",
              run: async () => {
                await customers.redactCustomer(shop, requireInput(job, "customerId"));
                return "customer data deleted";
              },
            },
            {
              name: "attributed orders",
              // Jobs recorded before Results existed, and customers without orders, carry no order ids.
              run: async () => {
                await attributions.redactOrders(shop, JSON.parse(job.input.orderIds ?? "[]") as string[]);
                return "customer data deleted";
              },
            },
          ],
        };
      case "customers/create":
      case "customers/update":
        return {
          steps: [
            {
              name: "customer record",
              run: async () =>
                (await records.upsertCustomer(recordOf<CustomerProfile>(job))) === "stale"
                  ? "older version ignored"
                  : "written",
            },
          ],
        };
      case "customers/delete":
        return {
          steps: [
            {
              name: "customer record",
              run: async () => {
                const customerId = requireInput(job, "customerId");
                await records.deleteCustomer(shop, customerId);
                await records.deleteCustomerOrders(shop, customerId);
                return "deleted";
              },
            },
          ],
        };
      case "orders/create":
      case "orders/updated":
        return {
          steps: [
            {
              name: "order record",
              run: async () => {
                // A guest order: nothing links it to a shopper who could ask about it.
                if (!job.input.record) return "no customer: no order record";
                return (await records.upsertOrder(recordOf<OrderSummary>(job))) === "stale"
                  ? "older version ignored"
                  : "written";
              },
            },
            {
              name: "attribution",
              run: async () => {
                if (job.input.attributionRefused) return `figures refused: ${job.input.attributionRefused}`;
                // Jobs recorded before Results existed carry no figures.
                if (!job.input.attribution) return "no figures";
                const outcome = await attributions.apply(shop, decodeFacts(job.input.attribution));
                return outcome === "stale" ? "older version ignored" : `attribution ${outcome}`;
              },
            },
          ],
        };
      case "flow/handoff":
        return {
          steps: [
            {
              name: "flow trigger",
              run: async () => {
                if (!flowTrigger) throw new Error("no Flow trigger sender configured");
                return flowTrigger(shop, requireInput(job, "handoffId"));
              },
            },
          ],
        };
      case "customers/data_request":
        return {
          steps: [
            {
              name: "export",
              run: async () => {
                await customers.exportCustomerData(
                  shop,
                  requireInput(job, "customerId"),
                  requireInput(job, "requestId"),
                );
                return "export ready";
              },
            },
          ],
        };
    }
  };
}
