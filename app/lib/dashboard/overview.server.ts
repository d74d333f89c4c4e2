// The overview page's data: sync health, the running import, index facts and banners for one shop.
import type { PrismaClient, SearchIndex } from "@prisma/client";
import type { HealthReport } from "../health.server";
import type { EmbeddingsDescriptor } from "../search/embeddings.server";
import type { ProductMirrorState } from "../sync/product-mirror.server";
import type { SyncStatus } from "../sync/sync-stats.server";
import { dashboardBanners, type DashboardBanner } from "./banners";
import type { DownSince, SyncTaskState } from "./sync-tasks.server";

export interface OverviewDependencies {
  db: PrismaClient;
  status: (shop: string) => Promise<SyncStatus>;
  health: () => Promise<HealthReport>;
  index: {
    state(shop: string): Promise<SearchIndex | null>;
    vectorCount(state: SearchIndex): Promise<number>;
    servesCurrentModel(state: SearchIndex): boolean;
  };
  embeddings: EmbeddingsDescriptor;
  llm: { provider: "openai" | "none"; model: string };
  downSince: DownSince;
  tasks: { get(shop: string, kind: "reconcile" | "rebuild"): SyncTaskState | null };
  /** APPWRITE_PRODUCTS: the shop's product mirror in Appwrite (decision 120). */
  mirror?: (shop: string) => Promise<ProductMirrorState>;
}

export interface IndexFacts {
  collection: string;
  provider: string;
  model: string;
  dimensions: number | null;
  /** Vectors in the active collection; null when the vector store did not answer. */
  size: number | null;
  generation: number;
  rebuilding: boolean;
  servesCurrentModel: boolean;
}

export interface Overview {
  shop: string;
  status: SyncStatus;
  health: HealthReport;
  index: IndexFacts | null;
  configured: { embeddings: string; llm: string };
  oldestWaitingSince: Date | null;
  importActive: boolean;
  tasks: { reconcile: SyncTaskState | null; rebuild: SyncTaskState | null };
  banners: DashboardBanner[];
  /** null when APPWRITE_PRODUCTS is off. */
  mirror: ProductMirrorState | null;
}

const ACTIVE = new Set(["requested", "exporting", "downloading", "indexing"]);

export async function loadOverview(deps: OverviewDependencies, shop: string): Promise<Overview> {
  const [status, health, state, oldest, completedImports, mirror] = await Promise.all([
    deps.status(shop),
    deps.health(),
    deps.index.state(shop),
    deps.db.productSync.findFirst({
      where: { shop, pending: true },
      orderBy: { changedAt: "asc" },
      select: { changedAt: true, updatedAt: true },
    }),
    deps.db.importRun.count({ where: { shop, status: "completed" } }),
    deps.mirror ? deps.mirror(shop) : null,
  ]);
  let size: number | null = null;
  if (state && health.components.vectorStore.status === "ok") {
    size = await deps.index.vectorCount(state).catch(() => null);
  }
  const index: IndexFacts | null = state
    ? {
        collection: state.activeCollection,
        provider: state.provider,
        model: state.model,
        dimensions: state.dimensions,
        size,
        generation: state.generation,
        rebuilding: state.rebuildingCollection !== null,
        servesCurrentModel: deps.index.servesCurrentModel(state),
      }
    : null;
  const downSince = Object.fromEntries(
    (["database", "vectorStore", "embedder"] as const).map((part) => [
      part,
      deps.downSince.observe(part, health.components[part].status === "down") ?? undefined,
    ]),
  );
  const configured = {
    embeddings: `${deps.embeddings.provider} · ${deps.embeddings.model}`,
    llm: deps.llm.provider === "none" ? "none (retrieval-only answers)" : `${deps.llm.provider} · ${deps.llm.model}`,
  };
  const banners = dashboardBanners({
    health: health.components,
    downSince,
    pending: status.pending,
    failed: status.failed,
    firstFailure: status.failures[0] ? { title: status.failures[0].title, error: status.failures[0].error } : null,
    lastImport: status.lastImport,
    importedOnce: completedImports > 0,
    index: index
      ? {
          servesCurrentModel: index.servesCurrentModel,
          indexedWith: `${index.provider} · ${index.model}`,
          configured: configured.embeddings,
        }
      : null,
    drift: {
      lastReconcileAt: status.drift.lastReconcileAt,
      total: status.drift.missing + status.drift.extra + status.drift.stale + status.drift.index,
    },
  });
  return {
    shop,
    status,
    health,
    index,
    configured,
    oldestWaitingSince: oldest ? (oldest.changedAt ?? oldest.updatedAt) : null,
    importActive: status.lastImport ? ACTIVE.has(status.lastImport.status) : false,
    tasks: { reconcile: deps.tasks.get(shop, "reconcile"), rebuild: deps.tasks.get(shop, "rebuild") },
    banners,
    mirror,
  };
}
