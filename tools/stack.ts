// The whole local stack in one call: Chroma, a migrated database and the app server.
// `npm run demo` and the end-to-end tests both start Aisle through here, so they run the
// same thing a deployer runs.
import { existsSync } from "node:fs";
import path from "node:path";
import { startChroma, type RunningChroma } from "./chroma/chroma-process";
import { startApp, type RunningApp } from "./lib/app-process";
import { migrateDatabase } from "./lib/database";

export const DEMO_APP_CREDENTIALS = {
  // Local-only credentials shared by the app and the local store emulator; never used with Shopify.
  apiKey: "aisle-local-demo-app",
  apiSecret: "aisle-local-demo-secret-2f6c1e9b",
};

export interface StackOptions {
  dataDir: string;
  appPort: number;
  chromaPort: number;
  env?: Record<string, string>;
  echo?: boolean;
  /** Modules the app process preloads with `node --import` (the store emulator's fetch seam). */
  imports?: string[];
  /** Runs on the migrated database before the app starts (so the app never sees the state before). */
  beforeApp?: (databaseUrl: string) => Promise<void>;
}

export interface RunningStack {
  app: RunningApp;
  chroma: RunningChroma;
  databaseUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(path.join("build", "server", "index.js"))) {
    throw new Error("The app is not built: run `npm run build` first.");
  }
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  assertBuilt();
  const databaseUrl = `file:${path.join(options.dataDir, "aisle.sqlite")}`;
  const chroma = await startChroma({
    dataDir: path.join(options.dataDir, "chroma"),
    port: options.chromaPort,
    quiet: true,
  });
  try {
    await migrateDatabase(databaseUrl);
    await options.beforeApp?.(databaseUrl);
    const env = {
      SHOPIFY_API_KEY: DEMO_APP_CREDENTIALS.apiKey,
      SHOPIFY_API_SECRET: DEMO_APP_CREDENTIALS.apiSecret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${options.appPort}`,
      DATABASE_URL: databaseUrl,
      CHROMA_URL: chroma.url,
      ...options.env,
    };
    const app = await startApp({ port: options.appPort, env, echo: options.echo, imports: options.imports });
    return {
      app,
      chroma,
      databaseUrl,
      env,
      async stop() {
        await app.stop();
        await chroma.stop();
      },
    };
  } catch (error) {
    await chroma.stop();
    throw error;
  }
}
