// WANDS (Wayfair, MIT) 40-query evaluation pool from ../shared/data/wands-eval: products as Aisle
// Products (name → title, class → type, category path → text), queries and graded qrels
// (Exact 2, Partial 1, Irrelevant 0 — the pool's own wands_eval_qrels.trec). Never tuned on.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Product } from "../../app/lib/catalog/product";
import { shopifyGid } from "../../app/lib/shopify/gid";
import type { Judgements } from "./metrics";

export const WANDS_DIR = path.resolve("../shared/data/wands-eval");

export function wandsAvailable(): boolean {
  return existsSync(path.join(WANDS_DIR, "wands_eval_products.tsv"));
}

function readTsv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(WANDS_DIR, file), "utf8"), {
    columns: true,
    delimiter: "\t",
    relax_quotes: true,
    skip_empty_lines: true,
  });
}

export function wandsProducts(): Product[] {
  return readTsv("wands_eval_products.tsv").map((row) => {
    const classes = (row.product_class ?? "")
      .split("|")
      .map((c) => c.trim())
      .filter(Boolean);
    const id = shopifyGid("Product", row.product_id);
    return {
      id,
      handle: `wands-${row.product_id}`,
      title: row.product_name,
      descriptionHtml: row.category_hierarchy
        ? `<p>${row.category_hierarchy.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</p>`
        : "",
      vendor: "",
      productType: classes[0] ?? "",
      tags: classes.slice(1),
      status: "ACTIVE",
      publishedOnline: true,
      onlineStoreUrl: null,
      options: [{ name: "Title", values: ["Default Title"] }],
      collections: [],
      featuredImage: null,
      metafields: [],
      variants: [
        {
          id: shopifyGid("ProductVariant", row.product_id),
          title: "Default Title",
          sku: null,
          barcode: null,
          price: "0.00",
          compareAtPrice: null,
          availableForSale: true,
          inventoryQuantity: null,
          selectedOptions: [{ name: "Title", value: "Default Title" }],
          imageUrl: null,
        },
      ],
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
    } satisfies Product;
  });
}

export function wandsQuerySet(): { query: string; kind: string; judgements: Judgements }[] {
  const judgements = new Map<string, Judgements>();
  for (const line of readFileSync(path.join(WANDS_DIR, "wands_eval_qrels.trec"), "utf8").split("\n")) {
    const [qid, , pid, gain] = line.trim().split(/\s+/);
    if (!qid || gain === undefined) continue;
    const map = judgements.get(qid) ?? new Map();
    map.set(shopifyGid("Product", pid), Number(gain));
    judgements.set(qid, map);
  }
  return readTsv("wands_eval_queries.tsv").map((row) => ({
    query: row.query,
    kind: row.query_class || "(none)",
    judgements: judgements.get(row.query_id) ?? new Map(),
  }));
}
