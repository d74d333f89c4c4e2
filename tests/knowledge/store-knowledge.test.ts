// Store knowledge end to end in the app process (decision 125): the real composition root reads the
// emulated shop's policies and pages through the Admin API (2026-07 schema), embeds them with the
// real local model into SQLite, and the real answer engine quotes them. Edits reach answers after the
// next refresh, unchanged sources are not embedded again, Q&A edits apply at once, redact removes it all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "../../app/lib/chat/types";
import { deleteShopRows } from "../../app/lib/sync/shop-lifecycle.server";
import { DEMO_PAGES, DEMO_POLICIES } from "../../tools/emulator/catalog/demo-content";
import { countEmbeddings } from "../sync/helpers/app";
import { installShop, startEmulatedShop, type EmulatedShopHarness } from "../sync/helpers/emulated-shop";

const SHOP = "knowledge-shop.myshopify.com";
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

async function ask(message: string) {
  const events: ChatEvent[] = [];
  for await (const event of h.services.answerEngine.answer({ shop: SHOP, message })) events.push(event);
  const sources = events.flatMap((e) => (e.type === "sources" ? e.items : []));
  const products = events.flatMap((e) => (e.type === "products" ? e.items : []));
  const done = events.find((e) => e.type === "done");
  return { sources, products, text: done?.type === "done" ? done.text : "" };
}

describe("store knowledge", () => {
  it("imports a newly installed shop's policies and published pages, and answers from them with links", async () => {
    const { refresher } = h.services.knowledge;
    expect(await refresher.dueShop()).toBe(SHOP);
    const report = await refresher.refresh(SHOP);
    expect(report).toMatchObject({ added: DEMO_POLICIES.length + DEMO_PAGES.length, removed: 0, skipped: 0 });
    expect(await refresher.dueShop()).toBeNull();

    const answer = await ask("What's your return policy?");
    expect(answer.sources[0]).toMatchObject({ kind: "policy", title: "Refund policy", url: "/policies/refund-policy" });
    expect(answer.text).toContain(`"${answer.sources[0].quote}"`);
    expect(answer.text).toContain("/policies/refund-policy");
    expect(answer.products).toEqual([]);

    const sizing = await ask("Do your boots run true to size?");
    expect(sizing.sources[0]).toMatchObject({ kind: "page", title: "Size guide", url: "/pages/size-guide" });
  });

  it("embeds nothing again when nothing changed, and only the edited policy after an edit", async () => {
    const { refresher } = h.services.knowledge;
    const embedded = countEmbeddings(h.services.embeddings.embeddings);
    expect(await refresher.refresh(SHOP)).toMatchObject({ unchanged: DEMO_POLICIES.length + DEMO_PAGES.length });
    expect(embedded.texts).toBe(0);

    h.emulator.shop(SHOP).store.content.setPolicy("REFUND_POLICY", {
      bodyHtml: "<p>You can return unused items within 14 days of delivery for a refund.</p>",
    });
    // Shopify sends no webhook: the answer is the old one until the next refresh.
    expect((await ask("How many days do I have to return something?")).text).toContain("60 days");
    expect(await refresher.refresh(SHOP)).toMatchObject({
      updated: 1,
      unchanged: DEMO_POLICIES.length + DEMO_PAGES.length - 1,
    });
    expect(embedded.texts).toBe(1);
    const answer = await ask("How many days do I have to return something?");
    expect(answer.text).toContain("within 14 days");
    expect(answer.text).not.toContain("60 days");
  });

  it("removes a deleted or unpublished page at the next refresh", async () => {
    const content = h.emulator.shop(SHOP).store.content;
    expect(content.deletePage("store-locations")).toBe(true);
    content.savePage({ ...DEMO_PAGES.find((p) => p.handle === "about-us")!, published: false });
    expect(await h.services.knowledge.refresher.refresh(SHOP)).toMatchObject({ removed: 2 });
    const titles = (await h.services.knowledge.store.sources(SHOP)).map((s) => s.title);
    expect(titles).not.toContain("Visit our shop");
    expect(titles).not.toContain("About us");
    const answer = await ask("What are your opening hours?");
    expect(answer.sources.map((s) => s.title)).not.toContain("Visit our shop");
  });

  it("says honestly when nothing in the store covers a store question, and quotes nothing", async () => {
    const answer = await ask("Do you offer a student discount?");
    expect(answer.sources).toEqual([]);
    expect(answer.products).toEqual([]);
    expect(answer.text).toMatch(/couldn't find anything about that/);
  });

  it("answers from a merchant's Q&A as soon as it is saved, and stops the moment it is deleted", async () => {
    const { questions } = h.services.knowledge;
    const saved = await questions.save(SHOP, {
      question: "Do you offer gift wrapping?",
      answer: "Yes, gift wrapping costs $5 at checkout.",
    });
    expect(saved.ok).toBe(true);
    const answer = await ask("Can you gift wrap my order?");
    expect(answer.sources[0]).toMatchObject({ kind: "qa", title: "Do you offer gift wrapping?", url: null });
    expect(answer.text).toContain("Yes, gift wrapping costs $5 at checkout.");

    expect(await questions.remove(SHOP, saved.ok ? saved.id : "")).toBe(true);
    const after = await ask("Can you gift wrap my order?");
    expect(after.text).not.toContain("gift wrapping costs $5");
    expect(after.sources.map((s) => s.kind)).not.toContain("qa");
  });

  it("indexes Q&A entries written straight to the database (the demo's seed) at the next refresh", async () => {
    await h.prisma.knowledgeQuestion.create({
      data: { shop: SHOP, question: "Do you rent tents or other gear?", answer: "No, we only sell gear." },
    });
    expect((await ask("Can I rent a tent?")).text).not.toContain("we only sell gear");
    await h.services.knowledge.refresher.refresh(SHOP);
    const answer = await ask("Can I rent a tent?");
    expect(answer.sources[0]).toMatchObject({ kind: "qa", title: "Do you rent tents or other gear?" });
    expect(answer.text).toContain("No, we only sell gear.");
  });

  it("refuses a bad Q&A entry with a reason and changes nothing", async () => {
    const { questions } = h.services.knowledge;
    const before = await questions.list(SHOP);
    const result = await questions.save(SHOP, { question: "  ", answer: "" });
    expect(result).toEqual({
      ok: false,
      errors: { question: expect.stringMatching(/question/i), answer: expect.stringMatching(/answer/i) },
    });
    expect(await questions.save(SHOP, { question: "Is this still here?", answer: "No." }, "missing-id")).toMatchObject({
      ok: false,
      errors: { form: expect.any(String) },
    });
    expect(await questions.list(SHOP)).toEqual(before);
  });

  it("keeps shops apart and leaves nothing behind after shop/redact", async () => {
    const other = "knowledge-other.myshopify.com";
    expect(await h.services.knowledge.store.search(other, "return policy")).toEqual([]);
    await h.services.knowledge.questions.save(SHOP, { question: "Do you price match?", answer: "Yes, send a link." });
    await deleteShopRows(h.prisma, SHOP);
    const left = await Promise.all([
      h.prisma.knowledgeSource.count({ where: { shop: SHOP } }),
      h.prisma.knowledgePassage.count({ where: { shop: SHOP } }),
      h.prisma.knowledgeQuestion.count({ where: { shop: SHOP } }),
      h.prisma.knowledgeRefresh.count({ where: { shop: SHOP } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0]);
  });
});
