// The AI label as the app embed block renders it (the emulator's Liquid, the extension's own locales):
// every locale says the assistant is an AI, and a merchant's setting rewords it but cannot blank it.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLiquid, loadThemeExtension, renderEmbeds } from "../../tools/emulator/storefront/theme-extension";

const extension = loadThemeExtension(path.resolve("extensions/chat-widget"));
const globals = {
  shop: { permanent_domain: "label-shop.myshopify.com", money_format: "${{amount}}" },
  cart: { currency: { iso_code: "USD" }, item_count: 0 },
  customer: null,
};

async function strings(locale: string, settings: Record<string, unknown> = {}) {
  const { body } = await renderEmbeds(
    createLiquid(),
    extension,
    { ...globals, request: { locale: { iso_code: locale } } },
    locale,
    { "chat-widget": settings },
  );
  const json = /<script type="application\/json" id="aisle-chat-config">([\s\S]*?)<\/script>/.exec(body)?.[1];
  if (!json) throw new Error("the block rendered no config");
  return (JSON.parse(json) as { strings: Record<string, string> }).strings;
}

describe("the widget's AI label", () => {
  it("says the assistant is an AI, in the header and the first message, in English and French", async () => {
    const en = await strings("en");
    expect(en.aiLabel).toBe("AI assistant, not a person");
    expect(en.aiIntro).toMatch(/^I'm an AI assistant, not a person/);
    const fr = await strings("fr");
    expect(fr.aiLabel).toBe("Assistant IA, pas une personne");
    expect(fr.aiIntro).toMatch(/^Je suis un assistant IA/);
  });

  it("takes the merchant's wording", async () => {
    const reworded = await strings("en", { ai_label: "Automated helper (AI)", ai_intro: "Hello, I am a bot." });
    expect(reworded.aiLabel).toBe("Automated helper (AI)");
    expect(reworded.aiIntro).toBe("Hello, I am a bot.");
  });

  it("falls back to the translated default when the merchant empties it", async () => {
    for (const blank of ["", "   ", null]) {
      const fr = await strings("fr", { ai_label: blank, ai_intro: blank });
      expect(fr.aiLabel).toBe("Assistant IA, pas une personne");
      expect(fr.aiIntro).toMatch(/^Je suis un assistant IA/);
    }
  });
});
