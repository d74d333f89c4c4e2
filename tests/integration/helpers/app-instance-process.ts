// One app instance in its own process, as a deployment runs several: the real composition root
// (createServices) on the environment it is given, the real webhook routes with Shopify's HMAC
// verification, its own sync worker and its own search. Driven by JSON lines on stdin, one answer
// line per command on stdout. Usage: tsx tests/integration/helpers/app-instance-process.ts
import { createInterface } from "node:readline";
import { parseEnv } from "../../../app/lib/config/env-schema";
import { action as productsUpdate } from "../../../app/routes/webhooks.products.update";
import { createServices } from "../../../app/services.server";
import { drainSync } from "../../../tools/lib/drain-sync";
import { signedWebhookRequest } from "../../kit/signed-requests";

type Command =
  | { op: "install"; shop: string }
  | { op: "webhook"; shop: string; body: string; webhookId: string }
  | { op: "search"; shop: string; query: string };

const env = parseEnv(process.env);
const services = createServices(env);

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case "install": {
      const { shop } = command;
      await services.prisma.session.upsert({
        where: { id: `offline_${shop}` },
        create: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken: "t" },
        update: {},
      });
      await services.prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
      return {};
    }
    case "webhook": {
      const request = signedWebhookRequest({
        appUrl: env.SHOPIFY_APP_URL,
        secret: env.SHOPIFY_API_SECRET,
        shop: command.shop,
        topic: "products/update",
        body: command.body,
        webhookId: command.webhookId,
      });
      const response = await productsUpdate({ request, params: {}, context: { services } });
      // This instance's worker syncs what it recorded (a running app does it in its loop).
      const drained = await drainSync(services.syncEngine);
      return { status: response.status, drained };
    }
    case "search": {
      const result = await services.productSearch.search({ shop: command.shop, query: command.query });
      return {
        indexVersion: result.indexVersion,
        cached: result.cached,
        hits: result.hits.map((hit) => ({ id: hit.product.id, title: hit.product.title, price: hit.product.price })),
      };
    }
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const { id, command } = JSON.parse(line) as { id: number; command: Command };
  try {
    process.stdout.write(`${JSON.stringify({ id, ok: true, result: await run(command) })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, ok: false, error: String((error as Error).stack ?? error) })}\n`);
  }
}
await services.vectorStore.close();
await services.prisma.$disconnect();
