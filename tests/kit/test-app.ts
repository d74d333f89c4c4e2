// The app as tests run it: the real composition root (createServices) on a fresh migrated SQLite
// database and the suite's Chroma server, with routes called the way Remix calls them (the services
// in the load context). Background jobs are not started; tests drive the sync engine explicitly.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { inject } from "vitest";
import { parseEnv, type Env } from "../../app/lib/config/env-schema";
import { createServices, type ServiceOptions, type Services } from "../../app/services.server";
import { createTestDatabase } from "../helpers/database";

/** Settings every test app starts from; a test overrides what it is about. */
export const TEST_APP_ENV = {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  SHOPIFY_API_KEY: "aisle-test-app",
  SHOPIFY_API_SECRET: "aisle-test-secret-7b3e",
  SHOPIFY_APP_URL: "http://127.0.0.1:39917",
  EMBEDDINGS_PROVIDER: "local",
  LLM_PROVIDER: "none",
  // An intake-only process: nothing runs in the background unless the test starts it.
  SYNC_WORKER_CONCURRENCY: "0",
} as const;

/** A validated test configuration: the defaults above, a fresh database, the suite's Chroma. */
export function testEnv(overrides: Record<string, string> = {}): Env {
  const needsDatabase = !overrides.DATABASE_URL;
  return parseEnv({
    ...TEST_APP_ENV,
    CHROMA_URL: inject("chromaUrl"),
    ...(needsDatabase ? { DATABASE_URL: createTestDatabase({ disconnected: true }).url } : {}),
    ...overrides,
  });
}

type Handler = (args: ActionFunctionArgs | LoaderFunctionArgs) => Promise<Response> | Response;

export interface TestApp {
  services: Services;
  env: Env;
  /**
   * Runs a route handler as Remix would; a Response thrown by authentication is returned. `context`
   * adds to the load context what server.mjs would (the socket's address).
   */
  call(
    handler: Handler,
    request: Request,
    params?: Record<string, string>,
    context?: Omit<AppLoadContext, "services">,
  ): Promise<Response>;
  close(): Promise<void>;
}

export function createTestApp(overrides: Record<string, string> = {}, options: ServiceOptions = {}): TestApp {
  const env = testEnv(overrides);
  const services = createServices(env, options);
  return {
    services,
    env,
    async call(handler, request, params = {}, context = {}) {
      try {
        return await handler({ request, params, context: { ...context, services } });
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    },
    async close() {
      await Promise.all([services.syncEngine.stop(), services.lifecycleJobs.stop(), services.historyOutbox?.stop()]);
      await services.prisma.$disconnect();
    },
  };
}
