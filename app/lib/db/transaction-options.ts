// Interactive transactions of background work (sync passes, import batches, catalog writes) wait for
// a pooled connection instead of failing after Prisma's default 2 s: on a busy Postgres that wait is
// exceeded (seen in I4, docs/security.md), and a failed pass costs its embeddings again or an import
// attempt from the retry budget. Webhook intake keeps the default: failing fast lets Shopify retry.
export const BACKGROUND_TRANSACTION = { maxWait: 10_000 } as const;
