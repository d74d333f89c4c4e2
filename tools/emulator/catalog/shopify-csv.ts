// Shopify's product CSV (import/export format, "Handle, Title, Body (HTML), …" columns): read into
// ProductInput (rows grouped by Handle; the first row carries product fields, the others variants and
// extra images) and write from ProductInput. Bad rows raise an error naming the line.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { ProductInput, ProductStatus, VariantInput } from "../store/model";

export const CSV_COLUMNS = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Product Category",
  "Type",
  "Tags",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Option2 Name",
  "Option2 Value",
  "Option3 Name",
  "Option3 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Tracker",
  "Variant Inventory Qty",
  "Variant Inventory Policy",
  "Variant Fulfillment Service",
  "Variant Price",
  "Variant Compare At Price",
  "Variant Requires Shipping",
  "Variant Taxable",
  "Variant Barcode",
  "Image Src",
  "Image Position",
  "Image Alt Text",
  "Gift Card",
  "SEO Title",
  "SEO Description",
  "Variant Image",
  "Variant Weight Unit",
  "Cost per item",
  "Status",
] as const;

type Row = Record<string, string>;

const bool = (value: string | undefined, fallback: boolean) =>
  value === undefined || value === "" ? fallback : value.trim().toUpperCase() === "TRUE";

/** A product (or row) a lenient read left out, and why. */
export interface CsvProblem {
  line: number;
  handle: string | null;
  reason: string;
}

/** Strict: the first bad row raises an error naming its line (the emulator's own fixtures must be clean). */
export function readShopifyCsv(text: string): ProductInput[] {
  return readShopifyCsvLenient(text, (problem) => {
    throw new Error(`CSV line ${problem.line}: ${problem.reason}`);
  }).products;
}

/**
 * Lenient, for merchants' real exports: a bad row leaves out its product (every row of that Handle)
 * and is reported through `onProblem`; the rest is read. A file that is not a Shopify product CSV
 * at all (no Handle/Title/Variant Price columns) is an error.
 */
export function readShopifyCsvLenient(
  text: string,
  onProblem: (problem: CsvProblem) => void,
): { products: ProductInput[] } {
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Row[];
  const missing = ["Handle", "Title", "Variant Price"].filter((column) => rows.length && !(column in rows[0]));
  if (missing.length)
    throw new Error(
      `Not a Shopify product CSV export: no ${missing.join(", ")} column (Shopify admin → Products → Export writes them)`,
    );
  const products = new Map<string, { input: ProductInput; images: string[]; line: number }>();
  const rejected = new Set<string>();
  rows.forEach((row, index) => {
    const line = index + 2;
    const handle = row["Handle"]?.trim();
    if (!handle) return onProblem({ line, handle: null, reason: "Handle is empty" });
    if (rejected.has(handle)) return;
    try {
      readRow(row, line, handle);
    } catch (error) {
      rejected.add(handle);
      products.delete(handle);
      onProblem({ line, handle, reason: (error as Error).message });
    }
  });

  function readRow(row: Row, line: number, handle: string): void {
    let entry = products.get(handle);
    if (!entry) {
      const title = row["Title"]?.trim();
      if (!title) throw new Error(`the first row of "${handle}" needs a Title`);
      const options = ["Option1 Name", "Option2 Name", "Option3 Name"]
        .map((c) => row[c]?.trim())
        .filter((n): n is string => !!n);
      const status = (row["Status"]?.trim().toLowerCase() || "active") as ProductStatus;
      if (!["active", "draft", "archived"].includes(status)) throw new Error(`unknown Status "${row["Status"]}"`);
      entry = {
        line,
        images: [],
        input: {
          title,
          handle,
          bodyHtml: row["Body (HTML)"] ?? "",
          vendor: row["Vendor"] ?? "",
          productType: row["Type"] ?? "",
          tags: (row["Tags"] ?? "")
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          status,
          published: bool(row["Published"], status === "active"),
          seoTitle: row["SEO Title"] || null,
          seoDescription: row["SEO Description"] || null,
          options: options.length === 1 && options[0] === "Title" ? undefined : options,
          variants: [],
          images: [],
        },
      };
      products.set(handle, entry);
    }
    const { input } = entry;
    const image = row["Image Src"]?.trim();
    if (image && !entry.images.includes(image)) {
      entry.images.push(image);
      input.images!.push({ src: image, alt: row["Image Alt Text"] || null });
    }
    const price = row["Variant Price"]?.trim();
    if (price) {
      const optionValues = ["Option1 Value", "Option2 Value", "Option3 Value"]
        .map((c) => row[c]?.trim())
        .slice(0, input.options?.length ?? 0);
      const variantImage = row["Variant Image"]?.trim();
      if (variantImage && !entry.images.includes(variantImage)) {
        entry.images.push(variantImage);
        input.images!.push({ src: variantImage, alt: null });
      }
      const quantity = row["Variant Inventory Qty"]?.trim();
      if (quantity && !/^-?\d+$/.test(quantity))
        throw new Error(`Variant Inventory Qty "${quantity}" is not a whole number`);
      if (!/^\d+(\.\d{1,2})?$/.test(price)) throw new Error(`Variant Price "${price}" is not a price`);
      const variant: VariantInput = {
        optionValues: input.options ? optionValues.map((v) => v ?? "") : undefined,
        sku: row["Variant SKU"]?.trim() || null,
        barcode: row["Variant Barcode"]?.trim().replace(/^'/, "") || null,
        price,
        compareAtPrice: row["Variant Compare At Price"]?.trim() || null,
        inventoryQuantity: quantity ? Number(quantity) : 0,
        inventoryPolicy: row["Variant Inventory Policy"]?.trim() === "continue" ? "continue" : "deny",
        inventoryTracked: (row["Variant Inventory Tracker"]?.trim() ?? "") !== "",
        taxable: bool(row["Variant Taxable"], true),
        grams: Number(row["Variant Grams"] || 0),
        imageIndex: variantImage ? entry.images.indexOf(variantImage) : undefined,
      };
      input.variants!.push(variant);
    }
  }

  const read: ProductInput[] = [];
  for (const { input, line } of products.values()) {
    if (input.variants!.length) read.push(input);
    else onProblem({ line, handle: input.handle!, reason: `"${input.handle}" has no row with a Variant Price` });
  }
  return { products: read };
}

export function writeShopifyCsv(products: Iterable<ProductInput & { category?: string }>): string {
  const rows: Row[] = [];
  for (const product of products) {
    const variants = product.variants ?? [{ price: "0.00" }];
    const images = product.images ?? [];
    const count = Math.max(variants.length, images.length);
    for (let i = 0; i < count; i++) {
      const variant = variants[i];
      const image = images[i];
      const row: Row = Object.fromEntries(CSV_COLUMNS.map((column) => [column, ""]));
      row["Handle"] = product.handle!;
      if (i === 0) {
        Object.assign(row, {
          Title: product.title,
          "Body (HTML)": product.bodyHtml ?? "",
          Vendor: product.vendor ?? "",
          "Product Category": product.category ?? "",
          Type: product.productType ?? "",
          Tags: (product.tags ?? []).join(", "),
          Published: product.published === false ? "FALSE" : "TRUE",
          "Gift Card": "FALSE",
          "SEO Title": product.seoTitle ?? "",
          "SEO Description": product.seoDescription ?? "",
          Status: product.status ?? "active",
        });
        const names = product.options?.length ? product.options : ["Title"];
        names.forEach((name, index) => (row[`Option${index + 1} Name`] = name));
      }
      if (variant) {
        const values = product.options?.length ? (variant.optionValues ?? []) : ["Default Title"];
        values.forEach((value, index) => (row[`Option${index + 1} Value`] = value));
        Object.assign(row, {
          "Variant SKU": variant.sku ?? "",
          "Variant Grams": String(variant.grams ?? 0),
          "Variant Inventory Tracker": variant.inventoryTracked === false ? "" : "shopify",
          "Variant Inventory Qty": String(variant.inventoryQuantity ?? 0),
          "Variant Inventory Policy": variant.inventoryPolicy ?? "deny",
          "Variant Fulfillment Service": "manual",
          "Variant Price": variant.price,
          "Variant Compare At Price": variant.compareAtPrice ?? "",
          "Variant Requires Shipping": "TRUE",
          "Variant Taxable": variant.taxable === false ? "FALSE" : "TRUE",
          "Variant Barcode": variant.barcode ?? "",
          "Variant Image": variant.imageIndex !== undefined ? (images[variant.imageIndex]?.src ?? "") : "",
          "Variant Weight Unit": "kg",
        });
      }
      if (image) {
        row["Image Src"] = image.src;
        row["Image Position"] = String(i + 1);
        row["Image Alt Text"] = image.alt ?? "";
      }
      rows.push(row);
    }
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
