// Assistant settings: validation names each bad field and writes nothing; saving is per shop; a
// change of the indexed fields sends every product of that shop (only) back to the sync worker.
import { describe, expect, it } from "vitest";
import { INDEXABLE_FIELDS } from "../../app/lib/catalog/indexable-fields";
import {
  DEFAULT_ASSISTANT_SETTINGS,
  INDEXABLE_FIELD_LABELS,
  settingsInputFromForm,
} from "../../app/lib/settings/assistant-settings";
import {
  documentOptionsFor,
  getAssistantSettings,
  holdoutPercentFor,
  saveAssistantSettings,
} from "../../app/lib/settings/settings-store.server";
import { useTestDatabases } from "./databases";

const shop = "settings-shop.myshopify.com";
const other = "other-shop.myshopify.com";
const database = useTestDatabases();

const valid = {
  persona: "Ava, a trail-running expert",
  tone: "professional",
  answerLength: "short",
  indexedFields: ["tags", "description"],
  widgetTitle: "Ask Ava",
  widgetGreeting: "Looking for trail shoes?",
  widgetPlaceholder: "",
  holdoutPercent: "10",
};

describe("assistant settings", () => {
  it("are the defaults until the merchant saves, then what was saved, for that shop only", async () => {
    const db = database();
    expect(await getAssistantSettings(db, shop)).toEqual({ settings: DEFAULT_ASSISTANT_SETTINGS, updatedAt: null });
    const result = await saveAssistantSettings(db, shop, valid);
    expect(result.ok).toBe(true);
    const stored = await getAssistantSettings(db, shop);
    // Indexed fields are kept in the catalog's canonical order.
    expect(stored.settings).toEqual({ ...valid, indexedFields: ["description", "tags"], holdoutPercent: 10 });
    expect(await holdoutPercentFor(db, shop)).toBe(10);
    expect(await holdoutPercentFor(db, other)).toBe(0);
    expect(stored.updatedAt).toBeInstanceOf(Date);
    expect((await getAssistantSettings(db, other)).settings).toEqual(DEFAULT_ASSISTANT_SETTINGS);
    expect(await documentOptionsFor(db, shop)).toEqual({ fields: ["description", "tags"] });
    expect(await documentOptionsFor(db, other)).toEqual({ fields: DEFAULT_ASSISTANT_SETTINGS.indexedFields });
  });

  it("rejects bad input with one clear message per field and changes nothing", async () => {
    const db = database();
    await saveAssistantSettings(db, shop, valid);
    const result = await saveAssistantSettings(db, shop, {
      persona: "  ",
      tone: "sarcastic",
      answerLength: "endless",
      indexedFields: ["description", "price"],
      widgetTitle: "x".repeat(41),
      widgetGreeting: "<script>alert(1)</script>",
      widgetPlaceholder: "ok",
      holdoutPercent: "60",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      persona: "Persona is required",
      tone: "Tone must be one of friendly, professional, playful, concise",
      answerLength: "Answer length must be one of short, medium, detailed",
      indexedFields: expect.stringContaining("Indexed fields must be among description, vendor"),
      widgetTitle: "Widget title must be at most 40 characters",
      widgetGreeting: "Greeting cannot contain < or >",
      holdoutPercent: "Holdout must be at most 50 %",
    });
    expect((await getAssistantSettings(db, shop)).settings.persona).toBe(valid.persona);
    for (const [holdoutPercent, message] of [
      ["-5", "Holdout must be a whole number"],
      ["12.5", "Holdout must be a whole number"],
      ["ten", "Holdout must be a whole number"],
    ]) {
      const refused = await saveAssistantSettings(db, shop, { ...valid, holdoutPercent });
      expect(refused.ok ? null : refused.errors.holdoutPercent).toBe(message);
    }
    expect(await holdoutPercentFor(db, shop)).toBe(10);
  });

  it("requeues the shop's live products when the indexed fields change, and not otherwise", async () => {
    const db = database();
    const row = (s: string, productId: string, extra: object = {}) => ({
      shop: s,
      productId,
      snapshot: "{}",
      pending: false,
      version: 3,
      indexedContentHash: "h",
      ...extra,
    });
    await db.productSync.createMany({
      data: [
        row(shop, "gid://shopify/Product/1"),
        row(shop, "gid://shopify/Product/2"),
        row(shop, "gid://shopify/Product/3", { deleted: true, snapshot: null, indexedContentHash: null }),
        row(other, "gid://shopify/Product/1"),
      ],
    });
    const first = await saveAssistantSettings(db, shop, valid);
    expect(first).toMatchObject({ ok: true, requeuedProducts: 2 });
    const rows = await db.productSync.findMany({ orderBy: [{ shop: "asc" }, { productId: "asc" }] });
    expect(rows.map((r) => [r.shop, r.productId.slice(-1), r.pending, r.version])).toEqual([
      [other, "1", false, 3],
      [shop, "1", true, 4],
      [shop, "2", true, 4],
      [shop, "3", false, 3],
    ]);
    await db.productSync.updateMany({ data: { pending: false } });
    const again = await saveAssistantSettings(db, shop, { ...valid, persona: "Ava, kinder" });
    expect(again).toMatchObject({ ok: true, requeuedProducts: 0 });
    expect(await db.productSync.count({ where: { pending: true } })).toBe(0);
  });

  it("offer every indexable field, labelled, in the catalog's order, all chosen by default", () => {
    expect(Object.keys(INDEXABLE_FIELD_LABELS)).toEqual([...INDEXABLE_FIELDS]);
    expect(DEFAULT_ASSISTANT_SETTINGS.indexedFields).toEqual([...INDEXABLE_FIELDS]);
  });

  it("reads the dashboard form: repeated checkboxes, no checkbox = no optional field", () => {
    const form = new FormData();
    form.set("persona", "P");
    form.set("tone", "concise");
    form.set("answerLength", "short");
    form.append("indexedFields", "vendor");
    form.append("indexedFields", "tags");
    form.set("widgetTitle", "T");
    form.set("widgetGreeting", "G");
    expect(settingsInputFromForm(form)).toEqual({
      persona: "P",
      tone: "concise",
      answerLength: "short",
      indexedFields: ["vendor", "tags"],
      widgetTitle: "T",
      widgetGreeting: "G",
      widgetPlaceholder: "",
      holdoutPercent: "0",
    });
    const none = new FormData();
    expect(settingsInputFromForm(none).indexedFields).toEqual([]);
  });
});
