// The handoff's Shopify Flow trigger over real parts: the request in SQLite, the durable lifecycle job and its
// plan, the real @shopify/shopify-api GraphQL client, and the store emulator serving flowTriggerReceive from
// the real 2026-07 schema. Shopify down first: the failure is recorded and retried, the request is kept.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Session } from "@shopify/shopify-api";
import { pino } from "pino";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaCustomerStore } from "../../app/lib/customers/prisma-store.server";
import { createCustomerService } from "../../app/lib/customers/service.server";
import { FLOW_FIELDS, FLOW_TRIGGER_HANDLE } from "../../app/lib/handoff/flow-trigger";
import { Handoffs } from "../../app/lib/handoff/handoffs.server";
import { LifecycleJobs } from "../../app/lib/lifecycle/lifecycle-jobs.server";
import { lifecyclePlans, type LifecyclePlanDependencies } from "../../app/lib/lifecycle/lifecycle-plans.server";
import type { GraphqlResponse, GraphqlTransport } from "../../app/lib/shopify/admin-graphql";
import { startStoreEmulator, type StoreEmulator } from "../../tools/emulator";
import { DEMO_APP_CREDENTIALS } from "../../tools/stack";
import { connectShopifyApi, installWithTokenExchange, type ShopifyApi } from "../emulator/admin-client";
import { createTestDatabase } from "../helpers/database";

const SHOP = "flow-trigger.myshopify.com";
const { prisma } = createTestDatabase();
let emulator: StoreEmulator;
let api: ShopifyApi;
let session: Session;
let clock = new Date("2026-12-01T10:00:00Z");
const now = () => clock;
const log = pino({ level: "silent" });
const customers = createCustomerService(new PrismaCustomerStore(prisma), { retentionDays: 90, now });
let jobs: LifecycleJobs;
let shopifyDown = true;

/** The real library client, as the app's Admin transport uses it; "Shopify down" is a refused connection. */
const transport = async (): Promise<GraphqlTransport> => {
  if (shopifyDown) throw new Error("connect ECONNREFUSED (Shopify unreachable)");
  const client = new api.clients.Graphql({ session });
  return async (query, variables) => (await client.request(query, { variables })) as GraphqlResponse;
};

const handoffs = new Handoffs({
  db: prisma,
  messages: (shop, id) => customers.lastTurns(shop, id, 30),
  conversationOwner: (shop, id) => customers.conversationOwner(shop, id),
  recordJob: (job) => jobs.record(job),
  queueUrl: (shop) => `https://${shop}/admin/apps/${DEMO_APP_CREDENTIALS.apiKey}/app/handoffs`,
  now,
});

beforeAll(async () => {
  emulator = await startStoreEmulator({ app: { ...DEMO_APP_CREDENTIALS, appUrl: "http://127.0.0.1:9" } });
  emulator.createShop(SHOP, { name: "Flow Outfitters" });
  api = await connectShopifyApi(emulator);
  session = await installWithTokenExchange(api, emulator, SHOP);
  // The app's own plans; the parts a Flow job never touches are left out.
  const unused = {} as never;
  const deps: LifecyclePlanDependencies = {
    db: prisma,
    log,
    index: unused,
    customers: unused,
    records: unused,
    attributions: unused,
    flowTrigger: (shop, id) => handoffs.fireFlowTrigger(shop, id, transport),
  };
  jobs = new LifecycleJobs({ db: prisma, log, plan: lifecyclePlans(deps), now, settings: { maxAttempts: 5 } });
});

afterAll(async () => {
  await emulator?.stop();
  await prisma.$disconnect();
});

describe("the Flow trigger 'Aisle: shopper asked for a person'", () => {
  let handoffId = "";

  it("is recorded with the request, and a failure while Shopify is down keeps the request and retries", async () => {
    const chat = await customers.openConversation({ shop: SHOP, visitorId: "v-flow", customerId: null });
    await customers.appendMessage({
      shop: SHOP,
      conversationId: chat.id,
      role: "user",
      text: "Is the tent waterproof?",
    });
    await customers.appendMessage({
      shop: SHOP,
      conversationId: chat.id,
      role: "assistant",
      text: "The Ridge Tent [1] has a 3000 mm flysheet.",
      productIds: ["gid://shopify/Product/101"],
    });
    await customers.appendMessage({ shop: SHOP, conversationId: chat.id, role: "user", text: "I want a human" });
    const created = await handoffs.create({
      shop: SHOP,
      visitorId: "v-flow",
      customerId: null,
      conversationId: chat.id,
      reason: "asked_for_person",
      email: "grace@example.com",
      message: "Will it survive a storm in Skye?",
      consentText: "I agree that the store may email me about this request.",
    });
    handoffId = created!.id;

    expect(await jobs.drain()).toBe(1);
    const job = await prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId: `handoff-flow-${handoffId}` } });
    expect(job).toMatchObject({ status: "retrying", attempts: 1 });
    expect(job.lastError).toContain("ECONNREFUSED");
    expect(await prisma.handoffRequest.findUniqueOrThrow({ where: { id: handoffId } })).toMatchObject({
      status: "open",
      flowStatus: "retrying",
      flowError: expect.stringContaining("ECONNREFUSED"),
    });
    expect(emulator.shop(SHOP).store.flowTriggers).toEqual([]);
  });

  it("reaches Flow once Shopify is back: the emulator records the trigger with the packet's fields", async () => {
    shopifyDown = false;
    clock = new Date(clock.getTime() + 3_600_000); // past the backoff
    expect(await jobs.drain()).toBe(1);
    expect(
      await prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId: `handoff-flow-${handoffId}` } }),
    ).toMatchObject({
      status: "done",
      outcome: "Flow trigger sent",
      input: "{}",
    });
    expect(await prisma.handoffRequest.findUniqueOrThrow({ where: { id: handoffId } })).toMatchObject({
      flowStatus: "sent",
      flowError: null,
    });
    const [call, ...others] = emulator.shop(SHOP).store.flowTriggers;
    expect(others).toEqual([]);
    expect(call.handle).toBe(FLOW_TRIGGER_HANDLE);
    expect(call.payload).toEqual({
      [FLOW_FIELDS.email]: "grace@example.com",
      [FLOW_FIELDS.message]: "Will it survive a storm in Skye?",
      [FLOW_FIELDS.reason]: "The shopper asked for a person.",
      [FLOW_FIELDS.transcript]:
        "Shopper: Is the tent waterproof?\nAssistant (AI): The Ridge Tent [1] has a 3000 mm flysheet.\nShopper: I want a human",
      [FLOW_FIELDS.products]: "gid://shopify/Product/101",
      [FLOW_FIELDS.conversation]: expect.any(String),
      [FLOW_FIELDS.link]: `https://${SHOP}/admin/apps/${DEMO_APP_CREDENTIALS.apiKey}/app/handoffs`,
    });
    // A replay of the job (a crash after the call) does not fire it twice.
    expect(await handoffs.fireFlowTrigger(SHOP, handoffId, transport)).toBe("Flow trigger already sent");
    expect(emulator.shop(SHOP).store.flowTriggers).toHaveLength(1);
  });

  it("sends exactly the fields the Flow trigger extension declares, under its handle", () => {
    const toml = parseToml(
      readFileSync(path.resolve("extensions/handoff-flow-trigger/shopify.extension.toml"), "utf8"),
    ) as {
      extensions: { type: string; handle: string }[];
      settings: { fields: { key: string; type: string }[] };
    };
    expect(toml.extensions[0]).toMatchObject({ type: "flow_trigger", handle: FLOW_TRIGGER_HANDLE });
    expect(FLOW_TRIGGER_HANDLE.length).toBeLessThanOrEqual(30);
    expect(toml.settings.fields.map((field) => field.key).sort()).toEqual(Object.values(FLOW_FIELDS).sort());
    expect(Object.keys(emulator.shop(SHOP).store.flowTriggers[0].payload).sort()).toEqual(
      Object.values(FLOW_FIELDS).sort(),
    );
  });

  it("the emulator refuses a trigger without a handle, as Shopify does, and records nothing", async () => {
    const client = new api.clients.Graphql({ session });
    const response = await client.request(
      `mutation { flowTriggerReceive(payload: {a: 1}) { userErrors { field message } } }`,
    );
    expect(
      (response.data as { flowTriggerReceive: { userErrors: { field: string[] }[] } }).flowTriggerReceive.userErrors,
    ).toEqual([{ field: ["handle"], message: "Handle can't be blank" }]);
    expect(emulator.shop(SHOP).store.flowTriggers).toHaveLength(1);
  });
});

describe("the Flow job and the shop's webhook jobs", () => {
  it("a Flow trigger retrying through an outage does not hold up the shop's later privacy job", async () => {
    const shop = "flow-order.myshopify.com";
    const ran: string[] = [];
    const queue = new LifecycleJobs({
      db: prisma,
      log,
      now,
      plan: (job) => ({
        steps: [
          {
            name: "run",
            run: async () => {
              if (job.topic === "flow/handoff") throw new Error("Shopify unreachable");
              ran.push(job.topic);
            },
          },
        ],
      }),
    });
    const at = (minutes: number) => new Date(clock.getTime() + minutes * 60_000);
    await queue.record({ webhookId: "flow-first", shop, topic: "flow/handoff", eventAt: at(-10), input: {} });
    await queue.record({ webhookId: "redact-later", shop, topic: "customers/redact", eventAt: at(-5), input: {} });
    await queue.drain();
    expect(ran).toEqual(["customers/redact"]);
    expect(await prisma.lifecycleJob.findUniqueOrThrow({ where: { webhookId: "flow-first" } })).toMatchObject({
      status: "retrying",
    });
  });
});
