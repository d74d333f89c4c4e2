// `npm run catalog:generate`: asks an LLM (LangChain ChatOpenAI, structured output) for products per
// category and writes them as a Shopify product CSV. The model proposes names, copy, options and prices;
// this code checks every product (options match variants, prices are money, no duplicates), and adds
// what a model should not invent: handles, SKUs, valid EAN-13 barcodes and inventory.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import type { ProductInput } from "../store/model";
import { handleize } from "../store/shop-store";
import { seededRandom } from "../webhooks/delivery";

const MONEY = /^\d{1,6}(\.\d{1,2})?$/;

export const generatedProductSchema = z.object({
  products: z
    .array(
      z.object({
        title: z.string().describe("Product name as shown in the shop, without the brand"),
        vendor: z.string().describe("Brand name (invented, not a real brand)"),
        descriptionHtml: z.string().describe("2-3 short paragraphs or a paragraph and a <ul> of features, in HTML"),
        tags: z.array(z.string()).describe("3-6 lowercase tags"),
        options: z
          .array(z.object({ name: z.string(), values: z.array(z.string()) }))
          .describe("0-2 options such as Size or Color; empty for single-variant products"),
        price: z.string().describe('Base price as a decimal string, e.g. "49.00"'),
        compareAtPrice: z.string().nullable().describe("Former price when on sale, else null"),
      }),
    )
    .describe("Products for one category"),
});

export type GeneratedPage = z.infer<typeof generatedProductSchema>;

export interface LlmCatalogOptions {
  model: BaseChatModel;
  categories: string[];
  perCategory: number;
  storeDescription: string;
  seed?: number;
  /** Called for each product the checks refuse, with the reason (nothing is dropped silently). */
  onRefused?: (title: string, reason: string) => void;
}

function ean13(body12: string): string {
  const sum = [...body12].reduce((acc, digit, index) => acc + Number(digit) * (index % 2 ? 3 : 1), 0);
  return body12 + ((10 - (sum % 10)) % 10);
}

export async function generateCatalogWithLlm(
  options: LlmCatalogOptions,
): Promise<(ProductInput & { handle: string })[]> {
  const structured = options.model.withStructuredOutput(generatedProductSchema, { name: "catalog_page" });
  const random = seededRandom(options.seed ?? 1);
  const products: (ProductInput & { handle: string })[] = [];
  const titles = new Set<string>();
  let barcode = 200000000000 + Math.floor(random() * 1e9);
  for (const [categoryIndex, category] of options.categories.entries()) {
    const page = await structured.invoke([
      [
        "system",
        "You write product catalogs for an online shop. Invent brands; never use real brand or product names. " +
          "Prices are decimal strings in the shop currency. Options have at most 6 values each.",
      ],
      [
        "human",
        `Shop: ${options.storeDescription}\nCategory: ${category}\nWrite ${options.perCategory} distinct products for this category.`,
      ],
    ]);
    for (const [index, item] of page.products.entries()) {
      const refuse = (reason: string) => options.onRefused?.(item.title, reason);
      const title = item.title.trim();
      if (!title) {
        refuse("empty title");
        continue;
      }
      if (titles.has(title.toLowerCase())) {
        refuse("duplicate title");
        continue;
      }
      if (!MONEY.test(item.price) || (item.compareAtPrice !== null && !MONEY.test(item.compareAtPrice))) {
        refuse(`price "${item.price}" / compare-at "${item.compareAtPrice}" is not money`);
        continue;
      }
      const optionList = item.options.filter((option) => option.name.trim() && option.values.length).slice(0, 3);
      if (
        optionList.some((option) => new Set(option.values).size !== option.values.length || option.values.length > 10)
      ) {
        refuse("an option repeats values or has more than 10");
        continue;
      }
      titles.add(title.toLowerCase());
      const combinations = optionList.reduce<string[][]>(
        (acc, option) => acc.flatMap((prefix) => option.values.map((value) => [...prefix, value.trim()])),
        [[]],
      );
      const code = handleize(category).slice(0, 3).toUpperCase();
      const handle = handleize(title);
      products.push({
        title,
        handle,
        vendor: item.vendor.trim(),
        productType: category,
        bodyHtml: item.descriptionHtml,
        tags: [...new Set(item.tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))],
        status: "active",
        published: true,
        options: optionList.length ? optionList.map((option) => option.name.trim()) : undefined,
        variants: combinations.map((values) => ({
          optionValues: optionList.length ? values : undefined,
          sku: `LLM-${code}-${String(categoryIndex + 1).padStart(2, "0")}${String(index + 1).padStart(3, "0")}${values.length ? `-${values.map((v) => handleize(v).slice(0, 3).toUpperCase()).join("-")}` : ""}`,
          barcode: ean13(String(barcode++)),
          price: Number(item.price).toFixed(2),
          compareAtPrice: item.compareAtPrice ? Number(item.compareAtPrice).toFixed(2) : null,
          inventoryQuantity: random() < 0.1 ? 0 : 1 + Math.floor(random() * 50),
          inventoryTracked: true,
        })),
      });
    }
  }
  return products;
}
