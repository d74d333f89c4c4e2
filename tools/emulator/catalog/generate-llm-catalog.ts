// `npm run catalog:generate -- --categories "Rain Jackets,Tents" --per-category 10 --out catalog.csv`
// Uses the app's LLM settings: LLM_BASE_URL (any OpenAI-compatible API, e.g. tools/openai-compatible),
// LLM_API_KEY or OPENAI_API_KEY, LLM_MODEL (default gpt-4o-mini).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ChatOpenAI } from "@langchain/openai";
import { generateCatalogWithLlm } from "./llm-catalog";
import { writeShopifyCsv } from "./shopify-csv";

const { values } = parseArgs({
  options: {
    categories: { type: "string", default: "Rain Jackets,Hiking Boots,Backpacks,Tents,Camp Kitchen" },
    "per-category": { type: "string", default: "10" },
    store: { type: "string", default: "an outdoor gear shop for hikers and campers" },
    out: { type: "string", default: "llm-catalog.csv" },
    seed: { type: "string", default: "1" },
  },
});
const apiKey = process.env.LLM_API_KEY ?? process.env.OPENAI_API_KEY;
if (!apiKey && !process.env.LLM_BASE_URL) {
  console.error("Set LLM_BASE_URL (an OpenAI-compatible API) and/or LLM_API_KEY / OPENAI_API_KEY.");
  process.exit(2);
}
const model = new ChatOpenAI({
  model: process.env.LLM_MODEL ?? "gpt-4o-mini",
  apiKey: apiKey ?? "not-needed",
  temperature: 0.8,
  ...(process.env.LLM_BASE_URL ? { configuration: { baseURL: process.env.LLM_BASE_URL } } : {}),
});
let refused = 0;
const products = await generateCatalogWithLlm({
  model,
  categories: values
    .categories!.split(",")
    .map((c) => c.trim())
    .filter(Boolean),
  perCategory: Number(values["per-category"]),
  storeDescription: values.store!,
  seed: Number(values.seed),
  onRefused: (title, reason) => {
    refused++;
    console.warn(`refused "${title}": ${reason}`);
  },
});
if (!products.length) {
  console.error(`The model returned no usable products (${refused} refused); nothing written.`);
  process.exit(1);
}
writeFileSync(values.out!, writeShopifyCsv(products));
console.log(`Wrote ${products.length} products (${refused} refused) to ${values.out}`);
