// Store knowledge as quotable passages (decision 125): a policy or page becomes one passage per
// paragraph, each remembering the heading it sits under; a Q&A entry is one passage (its answer
// under its question). Pure.
import { createHash } from "node:crypto";
import { htmlToPlainText } from "../catalog/product-document";

export type KnowledgeKind = "policy" | "page" | "qa";

/** A knowledge source as the store has it, before it is cut into passages. */
export interface KnowledgeSourceInput {
  kind: KnowledgeKind;
  /** Shopify gid of a policy or page; the KnowledgeQuestion id of a Q&A entry. */
  sourceId: string;
  title: string;
  /** Storefront path an answer links to; null for Q&A (it has no page of its own). */
  url: string | null;
  /** The body as the store serves it (HTML for policies and pages, plain text for Q&A). */
  body: string;
}

export interface PassageDraft {
  heading: string | null;
  text: string;
}

/** Longest passage quoted whole; longer paragraphs are cut at sentence ends. */
export const MAX_PASSAGE_CHARS = 600;
/** A line this short without closing punctuation is a heading, not a sentence. */
const MAX_HEADING_CHARS = 80;

const isHeading = (paragraph: string) =>
  !paragraph.includes("\n") && paragraph.length <= MAX_HEADING_CHARS && !/[.!?:;,]$/.test(paragraph);

function splitLong(paragraph: string): string[] {
  if (paragraph.length <= MAX_PASSAGE_CHARS) return [paragraph];
  const sentences = paragraph.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [paragraph];
  const parts: string[] = [];
  let current = "";
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > MAX_PASSAGE_CHARS) {
      parts.push(current.trim());
      current = "";
    }
    current += sentence;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The passages of a policy or page body (HTML). */
export function passagesFromHtml(html: string): PassageDraft[] {
  const paragraphs = htmlToPlainText(html)
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean);
  const passages: PassageDraft[] = [];
  let heading: string | null = null;
  for (const paragraph of paragraphs) {
    if (isHeading(paragraph)) {
      heading = paragraph;
      continue;
    }
    for (const text of splitLong(paragraph)) passages.push({ heading, text });
  }
  return passages;
}

export function passagesOf(source: KnowledgeSourceInput): PassageDraft[] {
  if (source.kind === "qa") return [{ heading: source.title, text: source.body.trim() }];
  return passagesFromHtml(source.body);
}

/** What decides whether a source's passages must be cut and embedded again. */
export function knowledgeHash(source: KnowledgeSourceInput): string {
  return createHash("sha256")
    .update(JSON.stringify([source.kind, source.title, source.url, source.body]))
    .digest("hex");
}

/** The text a passage is embedded and ranked by: where it comes from, its heading and itself. */
export function passageSearchText(sourceTitle: string, passage: PassageDraft): string {
  return [sourceTitle, passage.heading, passage.text].filter(Boolean).join(". ");
}
