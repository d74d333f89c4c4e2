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

const LOCAL_MODEL_THREAD = path.resolve("app/lib/search/local-model-thread.server.ts");
const LOCAL_MODEL_WORKER = path.resolve("app/lib/search/local-embeddings-worker.mjs");

/**
 * The local embedding model's worker thread is a file Node starts by its path, relative to the module
 * that starts it (decision 117). The server build does not follow such a path, so this puts a copy of
 * the file next to the bundled chunk that holds that module.
 */
function localModelWorker(): Plugin {
  let ssr = false;
  return {
    name: "aisle:local-model-worker",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    generateBundle(_options, bundle) {
      if (!ssr) return;
      const chunk = Object.values(bundle).find(
        (output) => output.type === "chunk" && output.moduleIds.includes(LOCAL_MODEL_THREAD),
      );
      if (!chunk) return;
      this.emitFile({
        type: "asset",
        fileName: path.posix.join(path.posix.dirname(chunk.fileName), path.basename(LOCAL_MODEL_WORKER)),
        source: readFileSync(LOCAL_MODEL_WORKER, "utf8"),
      });
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
    localModelWorker(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
