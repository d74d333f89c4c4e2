import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "tests/**/*.test.ts", "tools/**/*.test.ts"],
    // The crash-safety run (SIGKILLed sync processes during an import) is slow and timing-sensitive on
    // shared machines: it runs with `npm run test:crash`, not inside `npm test` (see docs/benchmarks.md).
    exclude: [
      "tests/e2e/**",
      "node_modules/**",
      ...(process.env.AISLE_CRASH_TEST ? [] : ["tests/sync/import-crash.test.ts"]),
    ],
    globalSetup: ["tests/setup/global-setup.ts"],
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
