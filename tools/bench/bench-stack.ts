// What the live-search and shops-memory benchmarks share: a disposable stack for one backend
// (temp dir, migrated database, vector store server), the app's services built from it the way
// the server builds them (createServices), document embeddings replaced by deterministic
// pseudo-vectors, demo catalogs written in batches, and the statistics they print.
// Only the app's public surface is used (createServices, productIndex, productSearch, routes), so
// the tools measure the search rewrite too, unchanged.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import type { Product } from "../../app/lib/catalog/product";
import { parseEnv } from "../../app/lib/config/env-schema";
import { createServices, type Services } from "../../app/services.server";
import { demoProducts } from "../emulator/catalog/demo-catalog";
import { toProduct } from "../eval/demo-catalog-products";
import { pseudoVector } from "../lib/pseudo-vectors";
import { SEARCH_BACKEND_NAMES, startSearchBackend, type SearchBackendName } from "../eval/search-stack";

export type Backend = SearchBackendName;
const BACKENDS = SEARCH_BACKEND_NAMES;

// ---- command line ------------------------------------------------------------------------------

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

export function numberArg(name: string, fallback: number): number {
  const value = Number(arg(name, String(fallback)));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

export function backendArg(): Backend {
  const backend = arg("backend", "sqlite-chroma") as Backend;
  if (!BACKENDS.includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(", ")}`);
  return backend;
}

// ---- statistics --------------------------------------------------------------------------------

export { percentile } from "../lib/percentile";

export const ms = (n: number) => (Number.isNaN(n) ? "—" : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
export const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
export const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t)));

/** RSS and heap now; after a full collection when Node runs with --expose-gc (then `collected`). */
export function memory(): { rss: number; heapUsed: number; collected: boolean } {
  const { gc } = globalThis as { gc?: () => void };
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, collected: Boolean(gc) };
}

export const machine = () =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, ${new Date().toISOString()}`;

// ---- queries -----------------------------------------------------------------------------------

/** Shopper queries over the demo catalog: keywords, a barcode, price and stock filters, vague needs. */
export const BENCH_QUERIES = [
  "insulated jacket for winter",
  "waterproof boots size 10",
  "headlamp",
  "backpacking tent for two under $400",
  "cheap rain pants in stock",
  "something warm for the kids",
  "ultralight stove",
  "merino socks",
  "what do I need for a first overnight hike",
  "water bottle that keeps drinks cold",
  "daypack 20 liters",
  "sleeping pad between 50 and 150",
  "gloves for ice climbing",
  "trail runners for wide feet",
  "camp chair",
  "present for a hiker under $50",
  "red fleece",
  "gear to stay dry in heavy rain",
  "compact binoculars",
  "first aid kit",
];

// ---- the stack ---------------------------------------------------------------------------------

export interface BenchStack {
  backend: Backend;
  /** The raw environment the services are parsed from (also handed to child processes). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A fresh database and vector store for `backend` (tools/eval/search-stack.ts); `stop` removes both. */
export async function startBenchStack(backend: Backend, label: string): Promise<BenchStack> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), `aisle-${label}-`));
  try {
    const servers = await startSearchBackend(backend, workDir);
    return {
      backend,
      env: servers.env,
      stop: async () => {
        await servers.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

// ---- services ----------------------------------------------------------------------------------

/** Services as an app process builds them, for the stack, with pseudo-vector document embeddings. */
export interface BenchServices {
  services: Services;
  /** Sends documents to the real model from now on (queries always use it). */
  useRealDocumentEmbeddings(): void;
  /** Texts embedded by the real model since start (document side). */
  realDocumentTexts(): number;
}

export const BENCH_SECRET = "bench-secret";

export async function createBenchServices(
  stackEnv: Record<string, string>,
  overrides: Record<string, string> = {},
): Promise<BenchServices> {
  const services = createServices(
    parseEnv({
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: BENCH_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      EMBEDDINGS_PROVIDER: "local",
      LLM_PROVIDER: "none",
      // Every search does the work: a result cache would answer the rotating queries from memory.
      SEARCH_CACHE_SIZE: "0",
      ...stackEnv,
      ...overrides,
    }),
  );
  // Embedding 10k–200k texts with the local model takes hours on a small machine; HNSW and
  // exact-scan costs depend on count and dimension, not on what the vectors mean. Queries stay
  // real (their embedding is part of every search's latency).
  const embedder = services.embeddings.embeddings;
  const real = embedder.embedDocuments.bind(embedder);
  // The local model's embedQuery calls this.embedDocuments: pinned to the real model here, or
  // queries would get pseudo-vectors too once embedDocuments is replaced below.
  embedder.embedQuery = async (text: string) => (await real([text]))[0];
  const dimensions = (await embedder.embedQuery("dimension probe")).length;
  let useReal = false;
  let realTexts = 0;
  embedder.embedDocuments = async (texts: string[]) => {
    if (!useReal) return texts.map((text) => pseudoVector(text, dimensions));
    realTexts += texts.length;
    return real(texts);
  };
  return {
    services,
    useRealDocumentEmbeddings: () => (useReal = true),
    realDocumentTexts: () => realTexts,
  };
}

export { pseudoVector };

// ---- catalogs ----------------------------------------------------------------------------------

/** `count` demo products as Aisle Products (ids 7000000…; another `seed`, another catalog). */
export function demoCatalogProducts(count: number, seed?: number): Product[] {
  return demoProducts(count, seed).map((p, i) => toProduct(p, i));
}

/** Writes `products` into the shop's index through `productIndex.upsert`, `batchSize` at a time. */
export async function indexCatalog(
  services: Services,
  shop: string,
  products: readonly Product[],
  options: { batchSize?: number; progress?: (written: number) => void } = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  for (let i = 0; i < products.length; i += batchSize) {
    const documents = products.slice(i, i + batchSize).map((p) => buildProductDocument(p));
    await services.productIndex.upsert(shop, documents);
    options.progress?.(Math.min(products.length, i + batchSize));
  }
}
