import { readFileSync } from "node:fs";
import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** Worker threads' scripts, each beside the module that starts it (decisions 117, 143). */
const WORKER_SCRIPTS = [
  { starter: "app/lib/search/local-model-thread.server.ts", script: "app/lib/search/local-embeddings-worker.mjs" },
  { starter: "app/lib/db/sqlite-read-thread.server.ts", script: "app/lib/db/sqlite-read-worker.mjs" },
].map(({ starter, script }) => ({ starter: path.resolve(starter), script: path.resolve(script) }));

/**
 * A worker thread's script is a file Node starts by its path, relative to the module that starts it.
 * The server build does not follow such a path, so this puts a copy of each script next to the
 * bundled chunk that holds its starter.
 */
function workerScripts(): Plugin {
  let ssr = false;
  return {
    name: "aisle:worker-scripts",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    generateBundle(_options, bundle) {
      if (!ssr) return;
      for (const { starter, script } of WORKER_SCRIPTS) {
        const chunk = Object.values(bundle).find(
          (output) => output.type === "chunk" && output.moduleIds.includes(starter),
        );
        if (!chunk) continue;
        this.emitFile({
          type: "asset",
          fileName: path.posix.join(path.posix.dirname(chunk.fileName), path.basename(script)),
          source: readFileSync(script, "utf8"),
        });
      }
    },
  };
}

export default defineConfig({
  server: {
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
    workerScripts(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
