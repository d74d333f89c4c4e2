// The dashboard's long-lived parts, created once per process from the app's services.
import prisma from "../../db.server";
import { env } from "../../env.server";
import {
  customers,
  embeddingsProvider,
  healthDependencies,
  llmProvider,
  productIndex,
  syncEngine,
} from "../../services.server";
import { checkHealth } from "../health.server";
import { logger } from "../logger.server";
import type { OverviewDependencies } from "./overview.server";
import { DownSince, SyncTasks } from "./sync-tasks.server";

export const syncTasks = new SyncTasks(logger.child({ component: "dashboard" }));
const downSince = new DownSince();

export function overviewDependencies(): OverviewDependencies {
  return {
    db: prisma,
    status: (shop) => syncEngine.status(shop),
    health: () => checkHealth(healthDependencies()),
    index: productIndex,
    embeddings: embeddingsProvider.descriptor,
    llm: { provider: llmProvider, model: env.LLM_MODEL },
    downSince,
    tasks: syncTasks,
  };
}

export { customers, prisma, productIndex, syncEngine };
