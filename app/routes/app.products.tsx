import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { formatAgo, formatCount } from "../lib/dashboard/format";
import {
  listProducts,
  productDetail,
  productListQuery,
  type ProductIndexState,
} from "../lib/dashboard/products.server";
import { documentOptionsFor } from "../lib/settings/settings-store.server";
import { SearchForm } from "../components/search-form";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, prisma } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const parsed = productListQuery.safeParse({
    q: params.get("q") ?? undefined,
    state: params.get("state") || undefined,
    page: params.get("page") ?? undefined,
  });
  const query = parsed.success ? parsed.data : productListQuery.parse({});
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Invalid filter");
  const selectedId = params.get("product");
  const [list, selected] = await Promise.all([
    listProducts(prisma, session.shop, query),
    selectedId
      ? productDetail(prisma, session.shop, selectedId, await documentOptionsFor(prisma, session.shop))
      : Promise.resolve(null),
  ]);
  return {
    list,
    query,
    error,
    selected,
    selectedMissing: Boolean(selectedId && !selected),
    now: new Date().toISOString(),
  };
}

const stateBadges: Record<
  ProductIndexState,
  { tone: "success" | "attention" | "critical" | "info" | undefined; label: string }
> = {
  indexed: { tone: "success", label: "Indexed" },
  pending: { tone: "attention", label: "Pending" },
  failed: { tone: "critical", label: "Failed" },
  not_indexed: { tone: undefined, label: "Not in search" },
  deleted: { tone: undefined, label: "Deleted" },
};

const stateOptions = [
  { label: "All states", value: "all" },
  { label: "Indexed", value: "indexed" },
  { label: "Pending", value: "pending" },
  { label: "Failed", value: "failed" },
  { label: "Not in search (draft, unpublished)", value: "not_indexed" },
];

export default function Products() {
  const { list, query, error, selected, selectedMissing, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [q, setQ] = useState(query.q);
  const [state, setState] = useState<string>(query.state);
  const at = new Date(now);
  const link = (changes: Record<string, string | null>) => {
    // Only the page's own parameters: the admin's (shop, host, id_token) belong to the first load.
    const next = new URLSearchParams();
    for (const key of ["q", "state", "page", "product"]) {
      const value = params.get(key);
      if (value) next.set(key, value);
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `?${next}`;
  };

  return (
    <Page
      title="Products"
      subtitle={`${formatCount(list.total)} matching`}
      backAction={{ content: "Overview", url: "/app" }}
    >
      <Layout>
        {error && (
          <Layout.Section>
            <Banner tone="warning" title="Filter ignored">
              <p>{error}</p>
            </Banner>
          </Layout.Section>
        )}
        {selectedMissing && (
          <Layout.Section>
            <Banner tone="warning" title="That product is not in this shop's sync state." />
          </Layout.Section>
        )}
        {selected && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {selected.title}
                  </Text>
                  <Button url={link({ product: null })} variant="plain">
                    Close
                  </Button>
                </InlineStack>
                <InlineStack gap="200">
                  <Badge tone={stateBadges[selected.state].tone}>{stateBadges[selected.state].label}</Badge>
                  <Text as="span" tone="subdued">
                    {selected.productId}
                  </Text>
                </InlineStack>
                {selected.reason && (
                  <Banner tone={selected.state === "failed" ? "critical" : "warning"} title="Last indexing error">
                    <p>
                      {selected.reason} (attempt {selected.attempts})
                    </p>
                  </Banner>
                )}
                <Text as="h3" variant="headingSm">
                  {selected.textMatchesIndex
                    ? "Embedded text (exactly what the index holds)"
                    : "Text that will be embedded"}
                </Text>
                {!selected.textMatchesIndex && (
                  <Text as="p" tone="subdued">
                    {selected.searchable
                      ? "The index holds an older version; the sync worker embeds this text next."
                      : "This product is not published to the online store, so it is not searchable."}
                  </Text>
                )}
                <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                  <pre data-embedded-text style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>
                    {selected.text ?? "—"}
                  </pre>
                </Box>
                {selected.keywords.length > 0 && (
                  <Text as="p" tone="subdued">
                    Exact-match keywords: {selected.keywords.join(", ")}
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <Box padding="300">
              <SearchForm
                label="Search products"
                value={q}
                onChange={setQ}
                placeholder="Title, handle, SKU, tag…"
                submitLabel="Search"
              >
                <Select label="Index state" name="state" options={stateOptions} value={state} onChange={setState} />
              </SearchForm>
            </Box>
            {list.rows.length === 0 ? (
              <EmptyState heading={query.q || query.state !== "all" ? "No products match" : "No products yet"} image="">
                <p>
                  {query.q || query.state !== "all"
                    ? "Try another search or state."
                    : "Import the catalog from Sync controls; products appear here as they are read."}
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "product", plural: "products" }}
                itemCount={list.rows.length}
                selectable={false}
                headings={[
                  { title: "Product" },
                  { title: "Index state" },
                  { title: "Reason" },
                  { title: "Last indexed" },
                ]}
              >
                {list.rows.map((row, position) => (
                  <IndexTable.Row id={row.productId} key={row.productId} position={position}>
                    <IndexTable.Cell>
                      <Button variant="plain" url={link({ product: row.productId })}>
                        {row.title}
                      </Button>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={stateBadges[row.state].tone}>{stateBadges[row.state].label}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" tone={row.state === "failed" ? "critical" : "subdued"} truncate>
                        {row.state === "failed" || row.state === "pending" ? (row.reason ?? "") : ""}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.lastIndexedAt ? formatAgo(row.lastIndexedAt, at) : "—"}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
            <Box padding="300">
              <InlineStack align="center" gap="300" blockAlign="center">
                {/* No URL without a page: Polaris draws a disabled link as an <a> without href, and an
                    aria-label on that is not allowed (axe aria-prohibited-attr); a disabled button is. */}
                <Pagination
                  hasPrevious={list.page > 1}
                  previousURL={list.page > 1 ? link({ page: String(list.page - 1), product: null }) : undefined}
                  hasNext={list.page < list.pages}
                  nextURL={list.page < list.pages ? link({ page: String(list.page + 1), product: null }) : undefined}
                />
                <Text as="span" tone="subdued">
                  Page {list.page} of {list.pages}
                </Text>
              </InlineStack>
            </Box>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
