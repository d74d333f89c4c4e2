// Appwrite stopped for 5 minutes during a chat session and a burst of product updates (issue 17, the last
// "Done when"; decisions 120 and 121). The real app (composition root, App Proxy chat and product webhooks
// signed as Shopify signs them) on SQLite and on Postgres, CUSTOMER_STORE=appwrite and APPWRITE_PRODUCTS on,
// the local Appwrite server behind a hop the test cuts, production backoff (1 s doubling to 60 s). The
// history outbox, the product mirror and the sync workers share a simulated clock that the test moves a
// second per pass, as their loops poll: 5 minutes of outage take seconds, and the retries reach their cap.
import { Databases } from "node-appwrite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppwriteClient } from "../../app/lib/customers/appwrite-client.server";
import { AppwriteCustomerStore } from "../../app/lib/customers/appwrite-store.server";
import type { HistoryOutbox } from "../../app/lib/customers/history-outbox.server";
import { loadOverview } from "../../app/lib/dashboard/overview.server";
import { legacyId } from "../../app/lib/shopify/gid";
import { mirrorDocumentId, mirrorDocumentOf, type ProductMirror } from "../../app/lib/sync/product-mirror.server";
import { action as chatAction } from "../../app/routes/proxy.chat";
import { overviewDependencies } from "../../app/services.server";
import { startAppwriteEmulator, type RunningAppwriteEmulator } from "../../tools/appwrite-emulator/server";
import { deletePayload, graphqlProduct, restPayload } from "../../tools/lib/catalog-fixtures";
import { drainSync } from "../../tools/lib/drain-sync";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../../tools/openai-compatible/server";
import { signedProxyRequest } from "../kit/signed-requests";
import { mirrorDocuments } from "../helpers/mirror-documents";
import { suiteDatabases } from "../helpers/postgres-database";
import { startSwitchableProxy, type SwitchableProxy } from "../helpers/switchable-proxy";
import { loadApp, TEST_SECRET, type LoadedApp } from "../sync/helpers/app";
import { readSse } from "../widget/chat-deps";

const PROJECT = "aisle-outage";
const KEY = "outage-key";
const OUTAGE_S = 300;
/** Production's longest wait between attempts (history outbox and product mirror), and its ±25 % jitter. */
const CAP_MS = 60_000;

/**
 * Moves a second per pass, when the test says so, but never falls behind the real clock that stamps rows
 * (webhook intake): what is due in real time is due for the components too.
 */
function simulatedClock() {
  let simulated = Date.now();
  const now = () => Math.max(Date.now(), simulated);
  const advance = (ms: number) => {
    simulated = now() + ms;
  };
  return { now, advance, sleep: async (ms: number) => advance(ms) };
}

/** Products 1–12 before the outage; during it three rounds of updates, 10–12 deleted, 13–14 created. */
const MIRRORED = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "13", "14"];

describe.each(suiteDatabases("aisle_outage"))("Appwrite stopped for 5 minutes, app database on $name", (database) => {
  const clock = simulatedClock();
  const shop = `outage-${database.name.toLowerCase()}.myshopify.com`;
  const databaseId = `outage-${database.name.toLowerCase()}`;
  let emulator: RunningAppwriteEmulator;
  let hop: SwitchableProxy;
  let llm: OpenAiCompatibleServer;
  let db: Awaited<ReturnType<typeof database.open>>;
  let app: LoadedApp;
  let outbox: HistoryOutbox;
  let mirror: ProductMirror;
  /** Straight to the Appwrite server, not through the hop: what another app reading Appwrite sees. */
  let direct: AppwriteCustomerStore;
  let documents: Databases;

  beforeAll(async () => {
    emulator = await startAppwriteEmulator({ projectId: PROJECT, apiKey: KEY, buildDelayMs: 5 });
    hop = await startSwitchableProxy(emulator.endpoint);
    llm = await startOpenAiCompatibleServer({ apiKey: "sk-outage" });
    db = await database.open();
    app = loadApp(
      {
        DATABASE_URL: db.url,
        CUSTOMER_STORE: "appwrite",
        APPWRITE_PRODUCTS: "true",
        APPWRITE_ENDPOINT: `${hop.url}/v1`,
        APPWRITE_PROJECT_ID: PROJECT,
        APPWRITE_API_KEY: KEY,
        APPWRITE_DATABASE_ID: databaseId,
        LLM_PROVIDER: "openai",
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: "sk-outage",
      },
      { clock },
    );
    outbox = app.services.historyOutbox!;
    mirror = app.services.productMirror!;
    const directClient = createAppwriteClient({ endpoint: emulator.endpoint, projectId: PROJECT, apiKey: KEY });
    direct = new AppwriteCustomerStore(directClient, { databaseId });
    documents = new Databases(directClient);
    await app.install(shop);
    await app.services.customers.store.ready();
  }, 60_000);

  afterAll(async () => {
    await app?.services.productIndex.dropShop(shop).catch(() => {});
    await app?.close();
    await db?.close();
    await llm?.close();
    await hop?.close();
    await emulator?.stop();
  });

  /** One chat turn through the App Proxy route, signed as Shopify signs it. */
  const turn = async (visitorId: string, message: string, conversationId?: string) => {
    const request = signedProxyRequest({
      appUrl: app.env.SHOPIFY_APP_URL,
      secret: TEST_SECRET,
      shop,
      path: "/proxy/chat",
      init: {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, visitorId, conversationId }),
      },
    });
    const response = await app.call(chatAction, request);
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const streamed = events
      .filter((e) => e.event === "text")
      .map((e) => e.data.delta)
      .join("");
    const replaced = events.findLast((e) => e.event === "replace")?.data.text as string | undefined;
    const answer = replaced ?? streamed;
    expect(events.some((e) => e.event === "done")).toBe(true);
    expect(answer.length).toBeGreaterThan(0);
    return { conversationId: events.find((e) => e.event === "conversation")?.data.id as string, answer };
  };

  const productRound = async (version: number) => {
    for (let n = 1; n <= 12; n++) {
      const product = graphqlProduct(n, {
        title: `Product ${n} v${version}`,
        price: `${20 + version}.00`,
        updatedAt: new Date(Date.UTC(2026, 11, 1, 0, version, n)).toISOString(),
      });
      expect(await app.deliver(shop, "products/update", restPayload(product))).toBe(200);
    }
  };

  /** Simulated times (ms) of the passes that met Appwrite down, and of those that wrote, per writer. */
  const failures = { outbox: [] as number[], mirror: [] as number[] };
  const wrote = { outbox: [] as number[], mirror: [] as number[] };

  /** What the background loops do in one poll interval: index what is due, then each writer's passes. */
  const pass = async () => {
    await drainSync(app.services.syncEngine);
    for (const [name, writer] of [
      ["outbox", outbox],
      ["mirror", mirror],
    ] as const) {
      for (;;) {
        const outcome = await writer.drain();
        if (outcome === "failed") failures[name].push(clock.now());
        if (outcome === true) wrote[name].push(clock.now());
        if (outcome !== true) break;
      }
    }
  };
  const tick = async () => {
    clock.advance(1000);
    await pass();
  };
  const overview = () => loadOverview(overviewDependencies(app.services), shop);
  const nothingWaiting = async () =>
    (await outbox.state()).waiting === 0 &&
    (await app.prisma.productSync.count({ where: { OR: [{ mirrorPending: true }, { pending: true }] } })) === 0;

  it("loses no message and writes none twice; the mirror converges on the index when Appwrite returns", async () => {
    const wallStart = performance.now();
    // Before the outage: 12 products indexed and mirrored, one turn of shopper A delivered.
    for (let n = 1; n <= 12; n++)
      expect(await app.deliver(shop, "products/create", restPayload(graphqlProduct(n)))).toBe(200);
    await pass();
    const visitors = app.services.storefront.chat.visitors;
    const a = { visitor: visitors.issue(shop), sent: [] as string[], id: "" };
    const b = { visitor: visitors.issue(shop), sent: [] as string[], id: "" };
    const first = await turn(a.visitor, "a waterproof hiking jacket?");
    a.id = first.conversationId;
    a.sent.push("a waterproof hiking jacket?", first.answer);
    await pass();
    expect(await nothingWaiting()).toBe(true);
    expect(await mirror.state(shop)).toMatchObject({ expected: 12, inAppwrite: 12, waiting: 0 });
    expect((await overview()).health.components.customerStore.status).toBe("ok");

    hop.down();
    const cutAt = clock.now();
    const downs: Awaited<ReturnType<typeof overview>>[] = [];
    // Second by second over 5 simulated minutes: the session goes on, shopper B starts one, products change.
    const schedule: Record<number, () => Promise<void>> = {
      0: async () => {
        const reply = await turn(a.visitor, "and in red?", a.id);
        expect(reply.conversationId).toBe(a.id);
        a.sent.push("and in red?", reply.answer);
      },
      5: () => productRound(1),
      45: async () => {
        const reply = await turn(a.visitor, "something warmer for winter", a.id);
        a.sent.push("something warmer for winter", reply.answer);
      },
      90: async () => {
        const reply = await turn(b.visitor, "tents for two?");
        b.id = reply.conversationId;
        b.sent.push("tents for two?", reply.answer);
      },
      120: () => productRound(2),
      150: async () => {
        const reply = await turn(b.visitor, "which one is lightest?", b.id);
        expect(reply.conversationId).toBe(b.id);
        b.sent.push("which one is lightest?", reply.answer);
        downs.push(await overview());
      },
      200: async () => {
        await productRound(3);
        for (const n of [10, 11, 12]) expect(await app.deliver(shop, "products/delete", deletePayload(n))).toBe(200);
        for (const n of [13, 14])
          expect(await app.deliver(shop, "products/create", restPayload(graphqlProduct(n)))).toBe(200);
      },
      240: async () => {
        const reply = await turn(a.visitor, "which of those is lightest?", a.id);
        a.sent.push("which of those is lightest?", reply.answer);
      },
      285: async () => {
        const reply = await turn(a.visitor, "does it pack small?", a.id);
        expect(reply.conversationId).toBe(a.id);
        // The model had the turns written during the outage as history: they wait in the outbox.
        const prompt = JSON.stringify(llm.requests.findLast((r) => r.path.endsWith("/chat/completions"))?.body);
        for (const earlier of ["something warmer for winter", "which of those is lightest?"])
          expect(prompt).toContain(earlier);
        a.sent.push("does it pack small?", reply.answer);
      },
    };
    for (let second = 0; second < OUTAGE_S; second++) {
      await schedule[second]?.();
      await tick();
    }
    downs.push(await overview());
    expect(clock.now() - cutAt).toBeGreaterThanOrEqual(OUTAGE_S * 1000);
    expect(a.id).toBeTruthy();
    expect(b.id).toBeTruthy();
    expect(b.id).not.toBe(a.id);

    // During the outage: the dashboard and /healthz's line say down, with everything waiting; the index kept up.
    for (const down of downs) {
      expect(down.health.status).toBe("degraded");
      expect(down.health.components.customerStore.status).toBe("down");
      expect(down.mirror).toMatchObject({ inAppwrite: null, lastError: expect.any(String) });
    }
    // A: 4 turns (8 messages); B: its conversation and 2 turns (4 messages).
    expect(downs.at(-1)!.health.components.customerStore.detail).toMatch(/13 chat history writes waiting since/);
    expect(downs.at(-1)!.mirror).toMatchObject({ expected: 11, waiting: 14 });
    expect((await app.services.productIndex.listProductIds(shop)).map(legacyId).sort()).toEqual([...MIRRORED].sort());
    expect(wrote.outbox.filter((at) => at > cutAt)).toEqual([]);
    expect(wrote.mirror.filter((at) => at > cutAt)).toEqual([]);

    // Appwrite returns: the loops go on until nothing waits.
    hop.up();
    const backAt = clock.now();
    while (!(await nothingWaiting())) {
      expect(clock.now() - backAt).toBeLessThan(10 * CAP_MS);
      await tick();
    }
    const convergedS = (clock.now() - backAt) / 1000;

    // Every message in Appwrite once, in order, per conversation; the counts right.
    for (const shopper of [a, b]) {
      const stored = await direct.listMessages(shop, shopper.id, 50);
      expect(stored.map((m) => m.text)).toEqual(shopper.sent);
      expect(stored.map((m) => m.position)).toEqual(shopper.sent.map((_, i) => i + 1));
      expect(new Set(stored.map((m) => m.id)).size).toBe(shopper.sent.length);
      expect((await direct.getConversation(shop, shopper.id))?.messageCount).toBe(shopper.sent.length);
    }
    expect(a.sent).toHaveLength(10);
    expect(b.sent).toHaveLength(4);
    expect(await direct.countRecords({ shop })).toMatchObject({ conversations: 2, messages: 14 });

    // The mirror equals the index: one document per indexed product, its latest content; deleted ones gone.
    const mirrored = await mirrorDocuments(documents, databaseId, shop);
    expect(mirrored).toHaveLength(MIRRORED.length);
    expect(mirrored.map((d) => String(d.productId)).sort()).toEqual([...MIRRORED].sort());
    const rows = await app.prisma.productSync.findMany({ where: { shop } });
    for (const document of mirrored) {
      const row = rows.find((r) => legacyId(r.productId) === document.productId)!;
      expect(document.$id).toBe(mirrorDocumentId(shop, String(document.productId)));
      const expected = mirrorDocumentOf(row)!;
      expect(expected).not.toBeNull();
      expect({ ...document, updatedAt: new Date(String(document.updatedAt)).toISOString() }).toMatchObject({
        ...expected,
        updatedAt: new Date(expected.updatedAt).toISOString(),
      });
    }
    for (let n = 1; n <= 9; n++)
      expect(mirrored.find((d) => d.productId === String(n))).toMatchObject({ title: `Product ${n} v3`, minPrice: 23 });

    // Nothing left waiting or refused; the dashboard says so.
    expect(await outbox.state()).toMatchObject({ waiting: 0, refused: 0 });
    const up = await overview();
    expect(up.health.status).toBe("ok");
    expect(up.health.components.customerStore).toMatchObject({ status: "ok" });
    expect(up.health.components.customerStore.detail).toMatch(/no chat history waiting/);
    expect(up.mirror).toEqual({ expected: 11, inAppwrite: 11, waiting: 0, lastError: null });

    // Production backoff over 5 minutes: the waits grow to the cap (60 s ± 25 %) and stay there, several times.
    const figures: string[] = [];
    for (const name of ["outbox", "mirror"] as const) {
      const attempts = [...failures[name], wrote[name].find((at) => at >= backAt)!];
      const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
      const capped = gaps.filter((gap) => gap >= CAP_MS * 0.75);
      expect(failures[name].length).toBeGreaterThanOrEqual(7);
      expect(capped.length).toBeGreaterThanOrEqual(3);
      // Never longer than the cap with its jitter, plus the poll interval the loop waits on top.
      expect(Math.max(...gaps)).toBeLessThanOrEqual(CAP_MS * 1.25 + 1000);
      figures.push(
        `${name}: ${failures[name].length} failed attempts, ${capped.length} waits at the cap, ` +
          `longest ${(Math.max(...gaps) / 1000).toFixed(1)} s`,
      );
    }
    console.info(
      `[Appwrite outage, ${database.name}] ${OUTAGE_S} simulated s down; ${figures.join("; ")}; ` +
        `converged ${convergedS} simulated s after the return; wall ${((performance.now() - wallStart) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
