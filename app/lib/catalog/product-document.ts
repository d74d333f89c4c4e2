// Product → what gets indexed. Pure: the same product always gives the same text, metadata and
// hashes, so sync can decide from the hashes alone whether to call the embedding model
// (text changed) or only refresh metadata (price, stock, SKUs…) or do nothing.
import { createHash } from "node:crypto";
import { compile } from "html-to-text";
import { INDEXABLE_FIELDS, type IndexableField } from "./indexable-fields";
import type { Product } from "./product";

export interface DocumentOptions {
  fields?: readonly IndexableField[];
  /** Long descriptions are cut (at a sentence or word boundary) to keep embeddings focused. */
  maxDescriptionChars?: number;
}

/**
 * Flat, filterable metadata. Nothing here changes on a sale unless availability flips: no stock
 * counts, no Shopify `updatedAt` (sync tracks that), so a sale rewrites nothing searchable.
 */
export interface ProductMetadata {
  productId: string;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  status: string;
  /** "|tag a|tag b|" — delimited so a `$contains` on "|tag|" matches whole values only. */
  tags: string;
  collections: string;
  optionValues: string;
  skus: string;
  barcodes: string;
  minPrice: number;
  maxPrice: number;
  compareAtMaxPrice: number;
  available: boolean;
  imageUrl: string;
  onlineStoreUrl: string;
  /** JSON of VariantSummary[]: what a product card needs (variant choice, prices, stock). */
  variantsJson: string;
}

/** Per-variant data carried in the index so search results render cards without a DB read. */
export interface VariantSummary {
  id: string;
  title: string;
  price: string;
  compareAtPrice: string | null;
  available: boolean;
  sku: string | null;
  options: Record<string, string>;
  imageUrl: string | null;
}

const isNullableString = (value: unknown) => value === null || typeof value === "string";

function isVariantSummary(value: unknown): value is VariantSummary {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === "string" &&
    typeof v.title === "string" &&
    typeof v.price === "string" &&
    typeof v.available === "boolean" &&
    typeof v.options === "object" &&
    v.options !== null &&
    isNullableString(v.compareAtPrice) &&
    isNullableString(v.sku) &&
    isNullableString(v.imageUrl)
  );
}

/**
 * ProductMetadata.variantsJson → its variants. The text comes back from the index, so it is not
 * trusted: unreadable JSON gives no variants and an entry of another shape is left out.
 */
export function parseVariantsJson(json: string | null | undefined): VariantSummary[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json || "[]");
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter(isVariantSummary) : [];
}

export interface ProductDocument {
  id: string;
  /** The embedded text: meaning only, no prices or stock (those change on every sale). */
  text: string;
  /** Extra exact-match terms for the lexical index (SKUs, barcodes, handle). */
  keywords: string[];
  metadata: ProductMetadata;
  /** sha256 of `text`: when it changes, the product is embedded again. */
  contentHash: string;
  /** sha256 of keywords + metadata: when only this changes, only metadata is written. */
  metadataHash: string;
}

// Compiled once: `convert` builds its selector decision tree on every call, which cost the sync worker
// more CPU than the rest of a document (≈ 10 ms a product) and stalled the webhooks sharing its process.
const convertHtml = compile({
  wordwrap: false,
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "h4", options: { uppercase: false } },
    { selector: "h5", options: { uppercase: false } },
    { selector: "h6", options: { uppercase: false } },
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
});

export function htmlToPlainText(html: string): string {
  if (!html) return "";
  return convertHtml(html)
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/^ +| +$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const sentenceEnd = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"));
  if (sentenceEnd > maxChars * 0.6) return cut.slice(0, sentenceEnd + 1);
  const wordEnd = cut.lastIndexOf(" ");
  return (wordEnd > 0 ? cut.slice(0, wordEnd) : cut) + "…";
}

const unique = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))];
const delimited = (values: string[]) => (values.length ? `|${unique(values).join("|")}|` : "");

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function embeddedText(product: Product, fields: ReadonlySet<IndexableField>, maxDescriptionChars: number): string {
  const lines = [product.title];
  if (fields.has("vendor") && product.vendor) lines.push(`Brand: ${product.vendor}`);
  if (fields.has("productType") && product.productType) lines.push(`Type: ${product.productType}`);
  if (fields.has("collections") && product.collections?.length) {
    lines.push(`Collections: ${unique(product.collections.map((c) => c.title)).join(", ")}`);
  }
  if (fields.has("tags") && product.tags.length) lines.push(`Tags: ${unique(product.tags).join(", ")}`);
  if (fields.has("options")) {
    const options = product.options.filter((o) => !(o.name === "Title" && o.values.join() === "Default Title"));
    if (options.length) lines.push(`Options: ${options.map((o) => `${o.name}: ${o.values.join(", ")}`).join("; ")}`);
  }
  if (fields.has("metafields")) {
    for (const field of product.metafields) lines.push(`${field.key.replace(/_/g, " ")}: ${field.value}`);
  }
  if (fields.has("description")) {
    const description = truncateText(htmlToPlainText(product.descriptionHtml), maxDescriptionChars);
    if (description) lines.push("", description);
  }
  return lines.join("\n");
}

function productMetadata(product: Product): ProductMetadata {
  const prices = product.variants.map((v) => Number(v.price)).filter(Number.isFinite);
  const compareAt = product.variants.map((v) => Number(v.compareAtPrice ?? NaN)).filter(Number.isFinite);
  return {
    productId: product.id,
    handle: product.handle,
    title: product.title,
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: delimited(product.tags),
    collections: delimited((product.collections ?? []).map((c) => c.handle)),
    optionValues: delimited(product.variants.flatMap((v) => v.selectedOptions.map((o) => `${o.name}:${o.value}`))),
    skus: delimited(product.variants.map((v) => v.sku ?? "")),
    barcodes: delimited(product.variants.map((v) => v.barcode ?? "")),
    minPrice: prices.length ? Math.min(...prices) : 0,
    maxPrice: prices.length ? Math.max(...prices) : 0,
    compareAtMaxPrice: compareAt.length ? Math.max(...compareAt) : 0,
    available: product.variants.some((v) => v.availableForSale),
    imageUrl: product.featuredImage?.url ?? "",
    onlineStoreUrl: product.onlineStoreUrl ?? "",
    variantsJson: JSON.stringify(
      product.variants.map<VariantSummary>((v) => ({
        id: v.id,
        title: v.title,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        available: v.availableForSale,
        sku: v.sku,
        options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
        imageUrl: v.imageUrl,
      })),
    ),
  };
}

export function buildProductDocument(product: Product, options: DocumentOptions = {}): ProductDocument {
  const fields = new Set(options.fields ?? INDEXABLE_FIELDS);
  const text = embeddedText(product, fields, options.maxDescriptionChars ?? 1500);
  const keywords = unique([product.handle, ...product.variants.flatMap((v) => [v.sku ?? "", v.barcode ?? ""])]);
  const metadata = productMetadata(product);
  return {
    id: product.id,
    text,
    keywords,
    metadata,
    contentHash: sha256(text),
    metadataHash: sha256(JSON.stringify([keywords, metadata])),
  };
}
