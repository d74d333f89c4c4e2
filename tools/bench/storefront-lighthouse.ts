// `npm run bench:lighthouse -- [--runs 3] [--chrome /usr/bin/chromium]` (needs `npm run build` first).
// The chat widget's cost to a storefront's Lighthouse performance score, measured as Shopify's App Store
// rule states it: the app may lower the score by at most 10 points on average over the home page (17 %),
// a product page (40 %) and a collection page (43 %). The demo shop's emulated storefront runs with the
// real app behind its App Proxy (the widget asks it for a session on every first visit) and is served
// twice from the same store: with the app embed enabled, and without it. Lighthouse's default settings
// (mobile, simulated throttling, performance category) run in a headless Chromium, each page and both
// variants in turn, `--runs` times; the median score of each is compared. Decision 133.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import { seedDemoStore } from "../emulator/catalog/demo-store";
import { startEmulatedStack } from "../emulator/emulated-stack";
import { startStorefront } from "../emulator/storefront/storefront-server";
import { freePort } from "../lib/ports";
import { registerCleanup, runOwningProcesses, spawnOwned, terminate } from "../lib/process-lifecycle";
import { waitForHttp } from "../lib/wait-for-http";
import { arg, machine, numberArg } from "./bench-stack";

const RUNS = numberArg("runs", 3);
const CHROME = arg("chrome", process.env.CHROME_PATH ?? "/usr/bin/chromium");
const SHOP = "lighthouse-demo.myshopify.com";
/** Shopify's weights for the average (App Store requirement "Minimize the app's impact on store speed"). */
const PAGES = [
  { name: "home", weight: 0.17 },
  { name: "product", weight: 0.4 },
  { name: "collection", weight: 0.43 },
] as const;
const LIMIT_POINTS = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A headless Chromium with the DevTools protocol on `port`, stopped with everything else. */
async function startChrome(): Promise<number> {
  const port = await freePort();
  const profile = mkdtempSync(path.join(os.tmpdir(), "aisle-lighthouse-chrome-"));
  registerCleanup(async () => rmSync(profile, { recursive: true, force: true }));
  const chrome = spawnOwned(
    CHROME,
    [
      "--headless=new",
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      // Root in a container has no user namespace for Chromium's sandbox.
      "--no-sandbox",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-gpu",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  registerCleanup(() => terminate(chrome));
  await waitForHttp(`http://127.0.0.1:${port}/json/version`, {
    timeoutMs: 30_000,
    isAlive: () => chrome.exitCode === null,
  });
  return port;
}

interface Sample {
  score: number;
  lcp: number;
  tbt: number;
}

async function measure(url: string, port: number): Promise<Sample> {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message} (${url})`);
  const score = lhr.categories.performance.score;
  if (score === null) throw new Error(`Lighthouse could not score ${url}: ${JSON.stringify(lhr.runWarnings)}`);
  return {
    score: Math.round(score * 100),
    lcp: lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN,
    tbt: lhr.audits["total-blocking-time"]?.numericValue ?? NaN,
  };
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "aisle-lighthouse-"));
  registerCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  const running = await startEmulatedStack({ dataDir });
  registerCleanup(() => running.stop());
  const { emulator } = running;
  emulator.createShop(SHOP, { name: "Lighthouse Outfitters" });
  seedDemoStore(emulator, SHOP, { limit: 120 });
  await emulator.installApp(SHOP);
  const { store } = emulator.shop(SHOP);
  const withApp = await emulator.storefront(SHOP);
  // The same store and theme, the app embed switched off (what a merchant's theme editor toggle does).
  const withoutApp = await startStorefront({ app: emulator.app, store, extensionDirs: [] });
  registerCleanup(() => withoutApp.stop());

  // What the storefront shows: active and published.
  const visible = (p: { status: string; publishedAt: string | null }) =>
    p.status === "active" && p.publishedAt !== null;
  const product = store.productOrder.map((id) => store.products.get(id)!).find(visible)!;
  const collection =
    store.collections.find((c) => store.collectionProducts(c).filter(visible).length >= 12) ?? store.collections[0];
  const paths: Record<(typeof PAGES)[number]["name"], string> = {
    home: "/",
    product: `/products/${product.handle}`,
    collection: `/collections/${collection.handle}`,
  };
  for (const [page, pagePath] of Object.entries(paths)) {
    for (const base of [withApp.url, withoutApp.url]) {
      const response = await fetch(new URL(pagePath, base));
      if (!response.ok) throw new Error(`${page} page ${pagePath} answered ${response.status}`);
      const html = await response.text();
      if ((base === withApp.url) !== html.includes('id="aisle-chat-root"'))
        throw new Error(`${page} page: the app embed is ${base === withApp.url ? "missing" : "present"}`);
    }
  }

  const chromePort = await startChrome();
  console.log(
    `storefront lighthouse: ${machine()}; Lighthouse 12.2.3 default (mobile, simulated throttling), ${RUNS} runs each; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const samples = new Map<string, Sample[]>();
  // Each run visits every page with and without the app back to back, so a busy moment hits both.
  for (let run = 1; run <= RUNS; run++) {
    for (const { name } of PAGES) {
      for (const [variant, base] of [
        ["without app", withoutApp.url],
        ["with app", withApp.url],
      ] as const) {
        const sample = await measure(new URL(paths[name], base).href, chromePort);
        const key = `${name} ${variant}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        console.log(
          `  run ${run}: ${key}: ${sample.score} (LCP ${sample.lcp.toFixed(0)} ms, TBT ${sample.tbt.toFixed(0)} ms)`,
        );
      }
    }
  }

  console.log("");
  console.log(
    "| page (weight) | score without app (runs) | score with app (runs) | points lost | LCP without → with | TBT without → with |",
  );
  console.log("| --- | --: | --: | --: | --: | --: |");
  let weighted = 0;
  for (const { name, weight } of PAGES) {
    const off = samples.get(`${name} without app`)!;
    const on = samples.get(`${name} with app`)!;
    const lost = median(off.map((s) => s.score)) - median(on.map((s) => s.score));
    weighted += weight * lost;
    const ms = (list: Sample[], key: "lcp" | "tbt") => `${median(list.map((s) => s[key])).toFixed(0)} ms`;
    console.log(
      `| ${name} (${Math.round(weight * 100)} %) | ${median(off.map((s) => s.score))} (${off.map((s) => s.score).join(", ")}) | ` +
        `${median(on.map((s) => s.score))} (${on.map((s) => s.score).join(", ")}) | ${lost} | ` +
        `${ms(off, "lcp")} → ${ms(on, "lcp")} | ${ms(off, "tbt")} → ${ms(on, "tbt")} |`,
    );
  }
  console.log(
    `\nWeighted impact: ${weighted.toFixed(1)} points (Shopify's limit: ${LIMIT_POINTS}); load average now ${os.loadavg()[0].toFixed(2)}`,
  );
  if (weighted > LIMIT_POINTS) process.exitCode = 1;
}

runOwningProcesses(main, "stopping Chromium, the storefronts and the app…");
