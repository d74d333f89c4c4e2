// The overview's actionable banners: what is wrong, since when, what it costs, what to do. Pure,
// computed from the sync status, the health report and when this process first saw a part down.
import type { ComponentHealth } from "../health.server";
import { formatClock, formatCount } from "./format";

export type BannerTone = "critical" | "warning" | "info" | "success";

export interface DashboardBanner {
  id: string;
  tone: BannerTone;
  title: string;
  body: string;
  action?: { label: string; url: string };
}

export interface BannerInput {
  health: {
    database: ComponentHealth;
    vectorStore: ComponentHealth;
    embedder: ComponentHealth;
    llm: ComponentHealth;
    /** Absent where no report carries it (older callers); Appwrite's state when CUSTOMER_STORE=appwrite. */
    customerStore?: ComponentHealth;
  };
  /** When each part was first seen down (and has been down since), by this process. */
  downSince: Partial<Record<"database" | "vectorStore" | "embedder", Date | string>>;
  pending: number;
  failed: number;
  firstFailure: { title: string | null; error: string | null } | null;
  lastImport: { status: string; error: string | null } | null;
  importedOnce: boolean;
  index: { servesCurrentModel: boolean; indexedWith: string; configured: string } | null;
  drift: { lastReconcileAt: Date | string | null; total: number };
}

const partNames = { database: "The database", vectorStore: "The vector store", embedder: "The embedding model" };

export function dashboardBanners(input: BannerInput): DashboardBanner[] {
  const banners: DashboardBanner[] = [];
  for (const part of ["database", "vectorStore", "embedder"] as const) {
    const health = input.health[part];
    if (health.status !== "down") continue;
    const since = input.downSince[part];
    const waiting = input.pending
      ? `${formatCount(input.pending)} update${input.pending === 1 ? "" : "s"} waiting`
      : "no updates waiting";
    banners.push({
      id: `${part}-down`,
      tone: "critical",
      title: `${partNames[part]} unreachable${since ? ` since ${formatClock(since)}` : ""} — ${waiting}`,
      body: `${health.detail.replace(/[.\s]+$/, "")}. Changes are kept and indexed automatically once it answers again; nothing is lost.`,
      action: { label: "Open sync controls", url: "/app/sync" },
    });
  }
  if (input.health.customerStore?.status === "down") {
    banners.push({
      id: "customer-store-down",
      tone: "warning",
      title: "The customer store is unreachable — the chat keeps answering",
      body: `${input.health.customerStore.detail.replace(/[.\s]+$/, "")}. New chat history waits in the app database and is delivered in order once it answers again; nothing is lost or written twice.`,
    });
  }
  if (input.lastImport?.status === "failed") {
    banners.push({
      id: "import-failed",
      tone: "critical",
      title: "The last catalog import failed",
      body: `${input.lastImport.error ?? "No reason was recorded."}${
        input.importedOnce ? "" : " Aisle starts a new import by itself later; you can also start one now."
      }`,
      action: { label: "Start a new import", url: "/app/sync" },
    });
  } else if (!input.importedOnce && !input.lastImport) {
    banners.push({
      id: "not-imported",
      tone: "info",
      title: "Your catalog has not been imported yet",
      body: "Import it once; after that, product changes reach the assistant on their own.",
      action: { label: "Import the catalog", url: "/app/sync" },
    });
  }
  if (input.failed > 0) {
    const first = input.firstFailure;
    banners.push({
      id: "products-failed",
      tone: "warning",
      title: `${formatCount(input.failed)} product${input.failed === 1 ? "" : "s"} could not be indexed`,
      body: first
        ? `${first.title ?? "A product"}: ${first.error ?? "no reason recorded"}. They are retried automatically.`
        : "They are retried automatically.",
      action: { label: "See failed products", url: "/app/products?state=failed" },
    });
  }
  if (input.index && !input.index.servesCurrentModel) {
    banners.push({
      id: "model-changed",
      tone: "warning",
      title: "The search index was built with another embedding model",
      body: `Indexed with ${input.index.indexedWith}; configured: ${input.index.configured}. Rebuild the index (no downtime).`,
      action: { label: "Rebuild the index", url: "/app/sync" },
    });
  }
  if (input.drift.total > 0 && input.drift.lastReconcileAt) {
    banners.push({
      id: "drift-repaired",
      tone: "info",
      title: `The last reconciliation found ${formatCount(input.drift.total)} difference${input.drift.total === 1 ? "" : "s"} with Shopify`,
      body: "Missed or out-of-order changes were queued again; the counts are on this page.",
    });
  }
  if (input.health.llm.status === "disabled") {
    banners.push({
      id: "llm-off",
      tone: "info",
      title: "No language model configured",
      body: "The assistant answers from search results alone (grounded, templated). Set LLM_* to enable written answers.",
    });
  }
  return banners;
}
