// The product fields a merchant can choose to feed the embedded text (assistant settings), in the
// order they are offered. Its own module, free of Node imports, because the settings page bundles
// it for the browser while product-document.ts (node:crypto, html-to-text) builds the text from it.

export const INDEXABLE_FIELDS = [
  "description",
  "vendor",
  "productType",
  "tags",
  "collections",
  "options",
  "metafields",
] as const;

export type IndexableField = (typeof INDEXABLE_FIELDS)[number];
