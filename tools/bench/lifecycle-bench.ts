// `npx tsx tools/bench/lifecycle-bench.ts [--products 5000] [--conversations 1000] [--messages 10] [--backend sqlite-chroma]
//   [--customer-store prisma|appwrite]` (appwrite: the local Appwrite emulator, tools/appwrite-emulator)
// Compliance webhooks on a big shop (decision 102): how fast the route answers (verify, record the
// job) beside how long the job then runs in the worker. The job's run is the work the route did
// inside the request before the change (the same steps, then inline), so it is the "before" figure.
// Real stack: the app's services and routes (real HMAC verification), a migrated database, the
// vector store server; product vectors are pseudo-vectors (tools/bench/bench-stack.ts).
// Results and the command lines that produced them: docs/benchmarks.md.
import { action as dataRequestRoute } from "../../app/routes/webhooks.customers.data_request";
import { action as shopRedactRoute } from "../../app/routes/webhooks.shop.redact";
import type { Services } from "../../app/services.server";
import { startAppwriteEmulator } from "../appwrite-emulator/server";
import { webhookMessage, webhookRequest } from "../emulator/signing/webhook";
import {
  arg,
  backendArg,
  BENCH_SECRET,
  createBenchServices,
  demoCatalogProducts,
  indexCatalog,
  machine,
  ms,
  numberArg,
  percentile,
  startBenchStack,
} from "./bench-stack";

const PRODUCTS = numberArg("products", 5000);
const CONVERSATIONS = numberArg("conversations", 1000);
const MESSAGES = numberArg("messages", 10);
const DELIVERIES = numberArg("deliveries", 20);
const CUSTOMER_STORE = arg("customer-store", "prisma");
const SHOP = "lifecycle-bench.myshopify.com";
const CUSTOMER = "7004001";

type Route = typeof shopRedactRoute;

async function deliver(services: Services, route: Route, topic: string, body: object, webhookId: string) {
  const message = webhookMessage({ shop: SHOP, topic, body: JSON.stringify(body), webhookId });
  const request = webhookRequest(new URL(`/webhooks/${topic}`, "http://127.0.0.1:9"), message, {
    apiSecret: BENCH_SECRET,
    apiVersion: "2026-07",
  });
  const started = performance.now();
  const response = await route({ request, params: {}, context: { services } });
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${topic} answered ${response.status}`);
  return elapsed;
}

/** Answer times of `DELIVERIES` deliveries (distinct webhook ids), then the job's run time. */
async function measure(services: Services, route: Route, topic: string, body: object) {
  const answers: number[] = [];
  for (let i = 0; i < DELIVERIES; i++) answers.push(await deliver(services, route, topic, body, `${topic}-${i}`));
  const started = performance.now();
  // The first job does the work; the replays of the same request find nothing left to do.
  const ran = await services.lifecycleJobs.drain();
  const jobSeconds = (performance.now() - started) / 1000;
  return { answers, ran, jobSeconds };
}

async function main() {
  const backend = backendArg();
  const stack = await startBenchStack(backend, "lifecycle-bench");
  const appwrite =
    CUSTOMER_STORE === "appwrite" ? await startAppwriteEmulator({ projectId: "bench", apiKey: "bench-key" }) : null;
  const { services } = await createBenchServices(stack.env, {
    SYNC_WORKER_CONCURRENCY: "0",
    ...(appwrite
      ? {
          CUSTOMER_STORE: "appwrite",
          APPWRITE_ENDPOINT: appwrite.endpoint,
          APPWRITE_PROJECT_ID: "bench",
          APPWRITE_API_KEY: "bench-key",
        }
      : {}),
  });
  const { prisma, customers } = services;
  try {
    console.log(`# lifecycle bench: ${machine()}, ${backend}, customer store ${CUSTOMER_STORE}`);
    const products = demoCatalogProducts(PRODUCTS);
    await indexCatalog(services, SHOP, products);
    let customerConversations = 0;
    for (let c = 0; c < CONVERSATIONS; c++) {
      // A fifth of the conversations are the requesting customer's; the rest anonymous.
      const customerId = c % 5 === 0 ? CUSTOMER : null;
      if (customerId) customerConversations++;
      const conversation = await customers.openConversation({ shop: SHOP, visitorId: `v${c}`, customerId });
      for (let m = 0; m < MESSAGES; m++) {
        await customers.appendMessage({
          shop: SHOP,
          conversationId: conversation.id,
          role: m % 2 ? "assistant" : "user",
          text: `message ${m} of conversation ${c}: do you have a warm jacket for winter hikes, size M?`,
        });
      }
    }
    console.log(
      `shop: ${PRODUCTS} products indexed, ${CONVERSATIONS} conversations × ${MESSAGES} messages ` +
        `(${customerConversations} of them the requesting customer's)`,
    );

    const request = {
      shop_id: 1,
      shop_domain: SHOP,
      orders_requested: [],
      customer: { id: Number(CUSTOMER), email: "maya@example.com", phone: null },
      data_request: { id: 9001 },
    };
    const exported = await measure(services, dataRequestRoute, "customers/data_request", request);

    await prisma.shop.create({
      data: {
        domain: SHOP,
        installedAt: new Date(Date.now() - 86_400_000),
        uninstalledAt: new Date(Date.now() - 3_600_000),
      },
    });
    const redacted = await measure(services, shopRedactRoute, "shop/redact", { shop_id: 1, shop_domain: SHOP });
    const left = await customers.store.countRecords({ shop: SHOP });
    const leftProducts = await services.productIndex.count(SHOP);

    const row = (label: string, r: Awaited<ReturnType<typeof measure>>) =>
      `| ${label} | ${ms(percentile(r.answers, 50))} | ${ms(percentile(r.answers, 95))} | ${ms(Math.max(...r.answers))} | ` +
      `${(r.jobSeconds / r.ran).toFixed(2)} s (${r.ran} jobs ran) |`;
    console.log(`| webhook (${DELIVERIES} deliveries) | answer p50 | answer p95 | answer max | work per job run |`);
    console.log("| --- | --- | --- | --- | --- |");
    console.log(row("customers/data_request", exported));
    console.log(row("shop/redact", redacted));
    console.log(`left after shop/redact: ${leftProducts} products, ${JSON.stringify(left)}`);
  } finally {
    await services.lifecycleJobs.stop();
    await services.vectorStore.close();
    await prisma.$disconnect();
    await stack.stop();
    await appwrite?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
