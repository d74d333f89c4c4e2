// The store knowledge page's view model and form actions (app/lib/dashboard/knowledge.server.ts) on the
// real composition root: an emulated shop read through the Admin API into SQLite, the real embedder and
// answer engine. Covers what the browser spec cannot reach cheaply: a held lease, never-read shops,
// stale ids, unknown intents, and that refused input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knowledgeAction, knowledgeOverview, previewAnswer } from "../../app/lib/dashboard/knowledge.server";
import { DEMO_PAGES, DEMO_POLICIES } from "../../tools/emulator/catalog/demo-content";
import { installShop, startEmulatedShop, type EmulatedShopHarness } from "../sync/helpers/emulated-shop";

const SHOP = "knowledge-page.myshopify.com";
let h: EmulatedShopHarness;

beforeAll(async () => {
  h = await startEmulatedShop();
  const store = h.emulator.createShop(SHOP);
  for (const policy of DEMO_POLICIES) store.content.setPolicy(policy.type, policy);
  for (const page of DEMO_PAGES) store.content.savePage(page);
  await installShop(h, SHOP);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const preview = (q: string | null) => previewAnswer((input) => h.services.answerEngine.answer(input), SHOP, q);

describe("store knowledge page", () => {
  it("shows a shop never read as such, then its sources, passages and refresh time after Refresh now", async () => {
    const before = await knowledgeOverview(h.services.knowledge, SHOP);
    expect(before).toMatchObject({ sources: [], passages: 0, refresh: { refreshedAt: null, error: null } });

    const refreshed = await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "refresh" }));
    expect(refreshed).toMatchObject({ intent: "refresh", ok: true });
    expect(refreshed.intent === "refresh" && refreshed.message).toContain(
      `${DEMO_POLICIES.length + DEMO_PAGES.length} added`,
    );

    const after = await knowledgeOverview(h.services.knowledge, SHOP);
    expect(after.sources).toHaveLength(DEMO_POLICIES.length + DEMO_PAGES.length);
    expect(after.sources).toContainEqual(
      expect.objectContaining({ kind: "Policy", title: "Refund policy", url: "/policies/refund-policy" }),
    );
    expect(after.sources.every((source) => source.passages > 0)).toBe(true);
    expect(after.passages).toBe(after.sources.reduce((sum, source) => sum + source.passages, 0));
    expect(after.refresh.refreshedAt).not.toBeNull();
  });

  it("says a refresh is already running while another process holds the shop's lease", async () => {
    await h.prisma.knowledgeRefresh.update({
      where: { shop: SHOP },
      data: { leasedUntil: new Date(Date.now() + 60_000) },
    });
    const refreshedAt = (await knowledgeOverview(h.services.knowledge, SHOP)).refresh.refreshedAt;
    expect(await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "refresh" }))).toEqual({
      intent: "refresh",
      ok: false,
      message: "A refresh is already running; try again in a minute.",
    });
    expect((await knowledgeOverview(h.services.knowledge, SHOP)).refresh.refreshedAt).toBe(refreshedAt);
    await h.prisma.knowledgeRefresh.update({ where: { shop: SHOP }, data: { leasedUntil: null } });
  });

  it("adds, edits and deletes a Q&A entry, and the preview follows each change", async () => {
    const { questions } = h.services.knowledge;
    const added = await knowledgeAction(
      h.services.knowledge,
      SHOP,
      form({ intent: "save", question: "Do you offer gift wrapping?", answer: "Yes, gift wrapping is free." }),
    );
    expect(added).toMatchObject({ intent: "save", ok: true, id: null, errors: {} });
    const [entry] = await questions.list(SHOP);
    const overview = await knowledgeOverview(h.services.knowledge, SHOP);
    expect(overview.questions).toEqual([
      { id: entry.id, question: "Do you offer gift wrapping?", answer: "Yes, gift wrapping is free." },
    ]);
    expect(overview.sources).toContainEqual(expect.objectContaining({ kind: "Q&A", url: null }));
    expect((await preview("Do you offer gift wrapping?")).answer?.text).toContain("Yes, gift wrapping is free.");

    await knowledgeAction(
      h.services.knowledge,
      SHOP,
      form({ intent: "save", id: entry.id, question: "Do you offer gift wrapping?", answer: "It costs $4." }),
    );
    const edited = await preview("Do you offer gift wrapping?");
    expect(edited.answer?.text).toContain("It costs $4.");
    expect(edited.answer?.text).not.toContain("is free");
    expect(edited.answer?.sources[0]).toMatchObject({ title: "Do you offer gift wrapping?", url: null });

    expect(await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "delete", id: entry.id }))).toEqual({
      intent: "delete",
      ok: true,
      message: "Question deleted.",
    });
    expect(await questions.list(SHOP)).toEqual([]);
    expect((await preview("Do you offer gift wrapping?")).answer?.text).not.toContain("It costs $4.");
  });

  it("refuses bad input, stale ids and unknown intents with a reason, changing nothing", async () => {
    const { questions } = h.services.knowledge;
    await questions.save(SHOP, { question: "Can I rent a tent?", answer: "No, we only sell gear." });
    const before = await knowledgeOverview(h.services.knowledge, SHOP);
    const [entry] = before.questions;

    expect(
      await knowledgeAction(
        h.services.knowledge,
        SHOP,
        form({ intent: "save", id: entry.id, question: "Hi", answer: "" }),
      ),
    ).toEqual({
      intent: "save",
      id: entry.id,
      ok: false,
      errors: { question: expect.stringContaining("at least 5"), answer: expect.stringContaining("answer") },
    });
    expect(await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "delete", id: "missing" }))).toMatchObject({
      ok: false,
      message: "That question no longer exists.",
    });
    expect(await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "delete" }))).toMatchObject({ ok: false });
    expect(await knowledgeAction(h.services.knowledge, SHOP, form({ intent: "drop-everything" }))).toEqual({
      intent: "unknown",
      ok: false,
      message: "Unknown action.",
    });
    // Another shop's id is not this shop's to delete.
    expect(
      await knowledgeAction(h.services.knowledge, "other.myshopify.com", form({ intent: "delete", id: entry.id })),
    ).toMatchObject({ ok: false });
    expect(await knowledgeOverview(h.services.knowledge, SHOP)).toEqual(before);
  });

  it("previews nothing without a question and explains an empty or overlong one", async () => {
    expect(await preview(null)).toEqual({ q: "", answer: null, error: null });
    expect(await preview("   ")).toMatchObject({ answer: null, error: "Type a question" });
    expect((await preview("x".repeat(501))).error).toBe("Questions are at most 500 characters");
  });
});
