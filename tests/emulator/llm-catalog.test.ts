// The LLM catalog generator with the real ChatOpenAI (structured output) against the local
// OpenAI-compatible server: what the model proposes is checked, refused items are reported, the result
// is a Shopify CSV the emulator seeds from.
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCatalogWithLlm } from "../../tools/emulator/catalog/llm-catalog";
import { readShopifyCsv, writeShopifyCsv } from "../../tools/emulator/catalog/shopify-csv";
import { IdSequence, ShopStore } from "../../tools/emulator/store/shop-store";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../../tools/openai-compatible/server";

let llm: OpenAiCompatibleServer;

beforeAll(async () => {
  llm = await startOpenAiCompatibleServer({ apiKey: "sk-local" });
});

afterAll(() => llm?.close());

const product = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  vendor: "Fernhill",
  descriptionHtml: `<p>${title} for wet days.</p>`,
  tags: ["Rain", "outerwear"],
  options: [
    { name: "Size", values: ["S", "M", "L"] },
    { name: "Color", values: ["Moss", "Slate"] },
  ],
  price: "129",
  compareAtPrice: null,
  ...extra,
});

describe("catalog:generate", () => {
  it("turns structured LLM output into checked products and a Shopify CSV", async () => {
    llm.script(
      {
        json: {
          products: [
            product("Drizzle Shell"),
            product("Drizzle Shell"),
            product("Cloudburst Parka", { price: "about 90" }),
          ],
        },
      },
      { json: { products: [product("Ridge Tent", { options: [], price: "349.5", compareAtPrice: "399" })] } },
    );
    const refused: string[] = [];
    const products = await generateCatalogWithLlm({
      model: new ChatOpenAI({
        model: "gpt-4o-mini",
        apiKey: "sk-local",
        configuration: { baseURL: llm.url },
        maxRetries: 0,
      }),
      categories: ["Rain Jackets", "Tents"],
      perCategory: 3,
      storeDescription: "an outdoor shop",
      onRefused: (title, reason) => refused.push(`${title}: ${reason}`),
    });
    expect(refused).toEqual([
      "Drizzle Shell: duplicate title",
      'Cloudburst Parka: price "about 90" / compare-at "null" is not money',
    ]);
    expect(products.map((p) => [p.title, p.productType, p.variants!.length])).toEqual([
      ["Drizzle Shell", "Rain Jackets", 6],
      ["Ridge Tent", "Tents", 1],
    ]);
    // The request asked for structured output with the catalog schema.
    const request = llm.requests.find((r) => r.path.endsWith("/chat/completions"))!;
    expect(JSON.stringify(request.body)).toContain("catalog_page");

    const csv = writeShopifyCsv(products);
    const store = new ShopStore("llm.myshopify.com", "LLM", "USD", new IdSequence());
    for (const input of readShopifyCsv(csv)) store.createProduct(input, { silent: true });
    const tent = store.productByHandle("ridge-tent")!;
    expect(tent.variants[0]).toMatchObject({ price: "349.50", compareAtPrice: "399.00" });
    expect(store.productByHandle("drizzle-shell")!.tags).toEqual(["outerwear", "rain"]);
  });
});
