import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { AnswerText } from "../components/answer-text";
import { DataTable } from "../components/data-table";
import { useState } from "react";
import { SearchForm } from "../components/search-form";
import { answerStyleFor } from "../lib/settings/settings-store.server";
import { playgroundQuery, runPlayground } from "../lib/dashboard/playground.server";
import type { SearchFilters } from "../lib/search/query-parser";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, prisma, answerEngine, productSearch } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const q = new URL(request.url).searchParams.get("q");
  if (q === null) return { q: "", result: null, error: null };
  const parsed = playgroundQuery.safeParse({ q });
  if (!parsed.success) return { q, result: null, error: parsed.error.issues[0]?.message ?? "Invalid question" };
  try {
    const result = await runPlayground(
      {
        search: (input) => productSearch.search(input),
        // The widget's answer: the same engine with the shop's assistant voice.
        answer: async function* (input) {
          yield* answerEngine.answer({ ...input, style: await answerStyleFor(prisma, input.shop) });
        },
      },
      session.shop,
      parsed.data.q,
    );
    return { q, result, error: null };
  } catch (error) {
    return { q, result: null, error: `Search failed: ${(error as Error).message}` };
  }
}

function describeFilters(filters: SearchFilters): string[] {
  const parts: string[] = [];
  if (filters.minPrice !== undefined) parts.push(`price ≥ ${filters.minPrice}`);
  if (filters.maxPrice !== undefined) parts.push(`price ≤ ${filters.maxPrice}`);
  if (filters.inStock) parts.push("in stock");
  if (filters.productTypes?.length) parts.push(`type: ${filters.productTypes.join(" or ")}`);
  if (filters.vendors?.length) parts.push(`brand: ${filters.vendors.join(" or ")}`);
  for (const option of filters.options ?? []) parts.push(`${option.name}: ${option.value}`);
  if (filters.sort) parts.push(filters.sort === "price_asc" ? "cheapest first" : "most expensive first");
  return parts;
}

const score = (value: number) => value.toFixed(4);

export default function Playground() {
  const { q, result, error } = useLoaderData<typeof loader>();
  const [question, setQuestion] = useState(q);
  const filters = result ? describeFilters(result.filters) : [];

  return (
    <Page title="Search playground" backAction={{ content: "Overview", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <SearchForm
              label="A shopper's question"
              value={question}
              onChange={setQuestion}
              placeholder="a waterproof jacket under $150 for hiking"
              submitLabel="Ask"
              primary
              error={error ?? undefined}
            />
          </Card>
        </Layout.Section>
        {!result && !error && (
          <Layout.Section>
            <Card>
              <EmptyState heading="Test what shoppers would get" image="">
                <p>
                  Type a question to see how it is understood, how products are ranked and what the widget would answer.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        )}
        {result && (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    How the question was understood
                  </Text>
                  <InlineStack gap="200">
                    <Text as="span" tone="subdued">
                      Searched text:
                    </Text>
                    <span data-searched-text>
                      <Text as="span" fontWeight="semibold">
                        {result.parsed.text || "(only filters)"}
                      </Text>
                    </span>
                  </InlineStack>
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" tone="subdued">
                      Filters:
                    </Text>
                    {filters.length ? (
                      filters.map((filter) => (
                        <Badge key={filter} tone="info">
                          {filter}
                        </Badge>
                      ))
                    ) : (
                      <Text as="span">none</Text>
                    )}
                  </InlineStack>
                  {result.relaxed.length > 0 && (
                    <Text as="p" tone="caution">
                      Nothing matched every filter; relaxed: {result.relaxed.join(", ")}.
                    </Text>
                  )}
                  {!result.vectorAvailable && (
                    <Banner tone="warning" title="Vector search unavailable">
                      <p>The index was built with another embedding model: lexical matches only until it is rebuilt.</p>
                    </Banner>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card padding="0">
                <Box padding="300">
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      Hybrid ranking
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      Reciprocal rank fusion: each list adds 1 / (60 + rank). Rank in the lexical (BM25) and vector
                      lists of up to 50 candidates each.
                    </Text>
                  </BlockStack>
                </Box>
                {result.ranking.length ? (
                  <DataTable
                    label="Hybrid ranking"
                    columnContentTypes={["numeric", "text", "numeric", "text", "text", "numeric"]}
                    headings={["#", "Product", "Price", "Lexical rank (score)", "Vector rank (score)", "Hybrid score"]}
                    rows={result.ranking.map((row) => [
                      row.rank,
                      row.title,
                      row.price,
                      row.lexical ? `${row.lexical.rank} (${score(row.lexical.contribution)})` : "—",
                      row.vector ? `${row.vector.rank} (${score(row.vector.contribution)})` : "—",
                      row.matchedBy.includes("exact") ? "exact match" : score(row.score),
                    ])}
                  />
                ) : (
                  <Box padding="300">
                    <Text as="p" tone="subdued">
                      No product matches this question.
                    </Text>
                  </Box>
                )}
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      The widget&apos;s answer
                    </Text>
                    {result.answer.source && (
                      <Badge tone={result.answer.source === "llm" ? "success" : "info"}>
                        {result.answer.source === "llm" ? "Language model" : "From search results (no language model)"}
                      </Badge>
                    )}
                  </InlineStack>
                  <AnswerText text={result.answer.text} error={result.answer.error} marker="data-answer-text" />
                  {result.answer.products.length > 0 && (
                    <InlineStack gap="200">
                      {result.answer.products.map((product) => (
                        <Badge
                          key={product.id}
                          tone={result.answer.citations.includes(product.ref) ? "success" : undefined}
                        >
                          {`[${product.ref}] ${product.title} · ${product.price}`}
                        </Badge>
                      ))}
                    </InlineStack>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
