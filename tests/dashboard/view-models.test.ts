// The dashboard's view models: banners say what is wrong and what it costs; products show index
// state and exactly the embedded text; conversation insights group unanswered questions; charts
// bucket real lag samples; sync controls validate and never run the same task twice at once.
import { describe, expect, it } from "vitest";
import { buildProductDocument } from "../../app/lib/catalog/product-document";
import { dashboardBanners, type BannerInput } from "../../app/lib/dashboard/banners";
import { conversationsPerDay } from "../../app/lib/dashboard/charts";
import { lagOverTime } from "../../app/lib/dashboard/charts.server";
import { normaliseQuestion, summariseConversations } from "../../app/lib/dashboard/conversation-insights";
import { listProducts, productDetail, productListQuery } from "../../app/lib/dashboard/products.server";
import { runSyncControl } from "../../app/lib/dashboard/sync-controls.server";
import { DownSince, SyncTasks } from "../../app/lib/dashboard/sync-tasks.server";
import type { ChatMessage, Conversation } from "../../app/lib/customers/types";
import { useTestDatabases } from "./databases";
import { makeProduct } from "../search/products";

const shop = "view-models.myshopify.com";
const database = useTestDatabases();

const healthy: BannerInput = {
  health: {
    database: { status: "ok", detail: "sqlite" },
    vectorStore: { status: "ok", detail: "chroma at http://127.0.0.1:8000" },
    embedder: { status: "ok", detail: "local" },
    llm: { status: "ok", detail: "gpt" },
  },
  downSince: {},
  pending: 0,
  failed: 0,
  firstFailure: null,
  lastImport: { status: "completed", error: null },
  importedOnce: true,
  index: { servesCurrentModel: true, indexedWith: "local · use", configured: "local · use" },
  drift: { lastReconcileAt: null, total: 0 },
};

describe("overview banners", () => {
  it("are absent when everything is healthy", () => {
    expect(dashboardBanners(healthy)).toEqual([]);
  });

  it("say since when the vector store is unreachable and how many updates wait, and that nothing is lost", () => {
    const [banner] = dashboardBanners({
      ...healthy,
      health: { ...healthy.health, vectorStore: { status: "down", detail: "connect ECONNREFUSED 127.0.0.1:8000" } },
      downSince: { vectorStore: new Date("2026-11-24T10:42:13Z") },
      pending: 312,
    });
    expect(banner).toMatchObject({
      tone: "critical",
      title: "The vector store unreachable since 10:42 UTC — 312 updates waiting",
      action: { url: "/app/sync" },
    });
    expect(banner.body).toContain("ECONNREFUSED");
    expect(banner.body).toContain("nothing is lost");
  });

  it("point at failed products, a failed import, a model change and a first import", () => {
    const ids = (input: Partial<BannerInput>) => dashboardBanners({ ...healthy, ...input }).map((b) => b.id);
    expect(ids({ failed: 3, firstFailure: { title: "Parka", error: "embedder timeout" } })).toEqual([
      "products-failed",
    ]);
    expect(dashboardBanners({ ...healthy, failed: 1, firstFailure: { title: "Parka", error: "boom" } })[0].body).toBe(
      "Parka: boom. They are retried automatically.",
    );
    expect(ids({ lastImport: { status: "failed", error: "ACCESS_DENIED" } })).toEqual(["import-failed"]);
    expect(ids({ lastImport: null, importedOnce: false })).toEqual(["not-imported"]);
    expect(ids({ index: { servesCurrentModel: false, indexedWith: "a", configured: "b" } })).toEqual(["model-changed"]);
    expect(ids({ health: { ...healthy.health, llm: { status: "disabled", detail: "" } } })).toEqual(["llm-off"]);
  });

  it("remember when a part went down until it answers again", () => {
    const since = new DownSince();
    const first = new Date("2026-11-24T10:42:00Z");
    expect(since.observe("chroma", true, first)).toEqual(first);
    expect(since.observe("chroma", true, new Date("2026-11-24T10:50:00Z"))).toEqual(first);
    expect(since.observe("chroma", false)).toBeNull();
    expect(since.observe("chroma", true, new Date("2026-11-24T11:00:00Z"))).toEqual(new Date("2026-11-24T11:00:00Z"));
  });
});

describe("products view", () => {
  it("lists index states with paging and search, and shows exactly the text the index holds", async () => {
    const db = database();
    const indexed = makeProduct({ title: "Alpine Shell Jacket", description: "Waterproof and light.", tags: ["rain"] });
    const pending = makeProduct({ title: "Trail Socks" });
    const failed = makeProduct({ title: "Summit Tent" });
    const document = buildProductDocument(indexed);
    await db.productSync.createMany({
      data: [
        {
          shop,
          productId: indexed.id,
          snapshot: JSON.stringify(indexed),
          pending: false,
          indexedContentHash: document.contentHash,
        },
        { shop, productId: pending.id, snapshot: JSON.stringify(pending), pending: true, attempts: 1 },
        {
          shop,
          productId: failed.id,
          snapshot: JSON.stringify(failed),
          pending: true,
          attempts: 4,
          lastError: "Chroma: connection refused",
        },
        { shop: "other.myshopify.com", productId: indexed.id, snapshot: JSON.stringify(indexed), pending: false },
      ],
    });
    const all = await listProducts(db, shop, productListQuery.parse({}));
    expect(all.total).toBe(3);
    expect(Object.fromEntries(all.rows.map((r) => [r.title, r.state]))).toEqual({
      "Alpine Shell Jacket": "indexed",
      "Trail Socks": "pending",
      "Summit Tent": "failed",
    });
    const failures = await listProducts(db, shop, productListQuery.parse({ state: "failed" }));
    expect(failures.rows).toMatchObject([{ title: "Summit Tent", reason: "Chroma: connection refused", attempts: 4 }]);
    const search = await listProducts(db, shop, productListQuery.parse({ q: "alpine" }));
    expect(search.rows.map((r) => r.title)).toEqual(["Alpine Shell Jacket"]);
    expect(productListQuery.safeParse({ page: "0" }).success).toBe(false);

    const detail = await productDetail(db, shop, indexed.id, {});
    expect(detail).toMatchObject({ text: document.text, textMatchesIndex: true, state: "indexed" });
    // With other settings the text differs from the index: it is shown as the next text, not the embedded one.
    const withoutDescription = await productDetail(db, shop, indexed.id, { fields: ["tags"] });
    expect(withoutDescription?.textMatchesIndex).toBe(false);
    expect(withoutDescription?.text).not.toContain("Waterproof");
    expect(await productDetail(db, "other-shop.myshopify.com", pending.id, {})).toBeNull();
  });
});

describe("conversation insights", () => {
  const conversation = (id: string, startedAt = new Date()): Conversation => ({
    id,
    shop,
    visitorId: `v-${id}`,
    customerId: null,
    startedAt,
    lastMessageAt: startedAt,
    messageCount: 0,
  });
  let position = 0;
  const message = (conversationId: string, role: "user" | "assistant", text: string, productIds: string[] = []) =>
    ({
      id: `m${++position}`,
      conversationId,
      shop,
      position,
      role,
      text,
      productIds,
      createdAt: new Date(),
    }) satisfies ChatMessage;

  it("groups wordings of the same question and finds questions answered without products", () => {
    expect(normaliseQuestion("  Do you sell GIFT cards?! ")).toBe("do you sell gift cards");
    expect(normaliseQuestion("Jackets under $99.50.")).toBe("jackets under $99.50");
    const insights = summariseConversations(
      [
        {
          conversation: conversation("a"),
          messages: [message("a", "user", "Do you sell gift cards?"), message("a", "assistant", "No.")],
          cartEvents: [],
        },
        {
          conversation: conversation("b"),
          messages: [
            message("b", "user", "do you sell gift cards"),
            message("b", "user", "Warm boots?"),
            message("b", "assistant", "These.", ["gid://shopify/Product/1", "gid://shopify/Product/2"]),
          ],
          // Recorded before ids stayed GIDs: the numeric id counts as the same product.
          cartEvents: [{ id: "e", conversationId: "b", shop, productId: "2", variantId: null, createdAt: new Date() }],
        },
      ],
      (id) => (id.endsWith("Product/2") || id === "2" ? "Snow Boot" : null),
    );
    expect(insights.questions).toBe(3);
    expect(insights.unanswered).toEqual([
      { key: "do you sell gift cards", example: "Do you sell gift cards?", count: 2, conversationIds: ["a", "b"] },
    ]);
    expect(insights.topQueries.map((q) => [q.key, q.count])).toEqual([
      ["do you sell gift cards", 2],
      ["warm boots", 1],
    ]);
    expect(insights.products).toEqual([
      { productId: "gid://shopify/Product/2", title: "Snow Boot", recommended: 1, addedToCart: 1 },
      { productId: "gid://shopify/Product/1", title: null, recommended: 1, addedToCart: 0 },
    ]);
    expect(insights.cartAdds).toBe(1);
    expect(insights.unansweredConversations).toBe(2);
  });
});

describe("charts", () => {
  it("count conversations per UTC day, with empty days", () => {
    const now = new Date("2026-11-24T12:00:00Z");
    const [series] = conversationsPerDay(
      [
        { startedAt: "2026-11-24T01:00:00Z" },
        { startedAt: "2026-11-24T23:00:00Z" },
        { startedAt: "2026-11-22T10:00:00Z" },
      ],
      3,
      now,
    );
    expect(series.data).toEqual([
      { key: "11-22", value: 1 },
      { key: "11-23", value: 0 },
      { key: "11-24", value: 2 },
    ]);
  });

  it("give p50/p95 lag per hour from recorded samples of the shop only", async () => {
    const db = database();
    const now = new Date("2026-11-24T12:30:00Z");
    await db.syncLagSample.createMany({
      data: [
        ...[1000, 2000, 3000, 4000].map((lagMs) => ({ shop, lagMs, recordedAt: new Date("2026-11-24T12:05:00Z") })),
        { shop, lagMs: 500, recordedAt: new Date("2026-11-24T10:10:00Z") },
        { shop: "other.myshopify.com", lagMs: 90_000, recordedAt: new Date("2026-11-24T12:06:00Z") },
        { shop, lagMs: 9000, recordedAt: new Date("2026-11-23T09:00:00Z") },
      ],
    });
    const [p50, p95] = await lagOverTime(db, shop, 3, now);
    expect(p50.data).toEqual([
      { key: "10:00", value: 0.5 },
      { key: "11:00", value: null },
      { key: "12:00", value: 2 },
    ]);
    expect(p95.data.at(-1)).toEqual({ key: "12:00", value: 4 });
  });
});

describe("sync controls", () => {
  it("reject an unknown action and start each background task once at a time", async () => {
    const tasks = new SyncTasks();
    let release!: () => void;
    let reconciles = 0;
    const deps = {
      requestImport: async () => ({ id: "run-1", status: "requested" }),
      reconcile: async () => {
        reconciles++;
        await new Promise<void>((resolve) => (release = resolve));
        return { missing: 2, extra: 1, stale: 0, index: 0, total: 3 };
      },
      rebuild: async () => {
        throw new Error("Chroma unreachable");
      },
      tasks,
    };
    expect(await runSyncControl(deps, shop, { intent: "wipe" })).toEqual({ ok: false, error: "Unknown sync action" });
    expect(await runSyncControl(deps, shop, { intent: "import" })).toMatchObject({ ok: true, importId: "run-1" });
    expect(await runSyncControl(deps, shop, { intent: "reconcile" })).toMatchObject({
      message: "Reconciliation started",
    });
    expect(await runSyncControl(deps, shop, { intent: "reconcile" })).toMatchObject({ message: "Already reconciling" });
    expect(reconciles).toBe(1);
    release();
    await expect.poll(() => tasks.get(shop, "reconcile")?.status).toBe("completed");
    expect(tasks.get(shop, "reconcile")?.summary).toBe(
      "3 differences found and queued (missing 2, extra 1, stale 0, index 0)",
    );
    await runSyncControl(deps, shop, { intent: "rebuild" });
    await expect.poll(() => tasks.get(shop, "rebuild")?.status).toBe("failed");
    expect(tasks.get(shop, "rebuild")?.error).toBe("Chroma unreachable");
    expect(tasks.get("another.myshopify.com", "rebuild")).toBeNull();
  });
});
