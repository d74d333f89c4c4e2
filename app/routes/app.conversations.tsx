import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Text,
} from "@shopify/polaris";
import { DataTable } from "../components/data-table";
import { useState } from "react";
import { ConversationsChart } from "../components/charts";
import { downloadFile } from "../components/download-file";
import { SectionCard } from "../components/section-card";
import { conversationsPerDay, hasValues } from "../lib/dashboard/charts";
import { INSIGHT_CONVERSATIONS, summariseConversations } from "../lib/dashboard/conversation-insights";
import { loadRecentThreads, productTitles } from "../lib/dashboard/conversations.server";
import { formatDateTime } from "../lib/dashboard/format";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, customers, prisma, lifecycleJobs } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const shop = session.shop;
  const params = new URL(request.url).searchParams;
  const cursor = params.get("cursor");
  const selectedId = params.get("conversation");
  const [page, threads, exports, jobs, selected] = await Promise.all([
    customers.listConversations(shop, { limit: 20, cursor }),
    loadRecentThreads(customers, shop),
    customers.listDataExports(shop, { limit: 20 }),
    lifecycleJobs.list(shop, 20),
    selectedId ? customers.getConversation(shop, selectedId) : Promise.resolve(null),
  ]);
  const ids = [
    ...threads.flatMap((t) => [...t.messages.flatMap((m) => m.productIds), ...t.cartEvents.map((e) => e.productId)]),
    ...(selected ? selected.messages.flatMap((m) => m.productIds) : []),
  ];
  const titles = await productTitles(prisma, shop, ids);
  const insights = summariseConversations(threads, (id) => titles.get(id) ?? null);
  return {
    page,
    insights: { ...insights, startedAt: undefined },
    perDay: conversationsPerDay(insights.startedAt.map((startedAt) => ({ startedAt }))),
    exports: exports.items.map(({ json: _json, ...record }) => record),
    jobs,
    selected,
    selectedMissing: Boolean(selectedId && !selected),
    titles: Object.fromEntries(titles),
    firstPage: !cursor,
  };
}

/** Retry of a failed privacy or uninstall job (decision 102): from its last finished step. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, lifecycleJobs } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const form = await request.formData();
  const webhookId = form.get("webhookId");
  if (form.get("intent") !== "retry-job" || typeof webhookId !== "string" || !webhookId) {
    return { retried: false, error: "Nothing to retry." };
  }
  const retried = await lifecycleJobs.retry(session.shop, webhookId);
  return { retried, error: retried ? null : "This request is not failed any more." };
}

function RetryJob({ webhookId, label }: { webhookId: string; label: string }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("webhookId") === webhookId;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="retry-job" />
      <input type="hidden" name="webhookId" value={webhookId} />
      <Button submit size="slim" loading={busy} accessibilityLabel={label}>
        Retry
      </Button>
    </Form>
  );
}

function GroupList({ groups, empty }: { groups: { key: string; example: string; count: number }[]; empty: string }) {
  if (!groups.length)
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  return (
    <BlockStack gap="150">
      {groups.map((group) => (
        <InlineStack key={group.key} align="space-between" gap="300" wrap={false}>
          <Text as="span">{group.example}</Text>
          <Badge>{`${group.count}×`}</Badge>
        </InlineStack>
      ))}
    </BlockStack>
  );
}

const jobTones = {
  pending: "info",
  running: "attention",
  retrying: "warning",
  done: "success",
  failed: "critical",
} as const;

function JobStatus({ status }: { status: string }) {
  return <Badge tone={jobTones[status as keyof typeof jobTones]}>{status}</Badge>;
}

const downloadExport = (id: string, customerId: string) =>
  downloadFile(`/app/data-exports/${encodeURIComponent(id)}`, `customer-${customerId}-data-export.json`);

export default function Conversations() {
  const retryResult = useActionData<typeof action>();
  const { page, insights, perDay, exports, jobs, selected, selectedMissing, titles, firstPage } =
    useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const cursor = params.get("cursor");
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams();
    for (const key of ["cursor", "conversation"]) {
      const value = key in changes ? changes[key] : params.get(key);
      if (value) next.set(key, value);
    }
    return `?${next}`;
  };
  const title = (id: string) => titles[id] ?? `Product ${id}`;

  return (
    <Page title="Conversations" backAction={{ content: "Overview", url: "/app" }}>
      <Layout>
        {selectedMissing && (
          <Layout.Section>
            <Card>
              <Text as="p" tone="critical">
                That conversation does not exist in this shop (it may have expired under the retention period).
              </Text>
            </Card>
          </Layout.Section>
        )}
        {selected && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Conversation of {formatDateTime(selected.conversation.startedAt)}
                  </Text>
                  <Button variant="plain" url={withParams({ conversation: null })}>
                    Close
                  </Button>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {selected.conversation.customerId
                    ? `Logged-in customer ${selected.conversation.customerId}`
                    : "Anonymous visitor"}{" "}
                  · {selected.conversation.messageCount} messages · {selected.cartEvents.length} added to cart
                </Text>
                <BlockStack gap="200">
                  {selected.messages.map((message) => (
                    <Box
                      key={message.id}
                      padding="300"
                      borderRadius="200"
                      background={message.role === "user" ? "bg-surface-secondary" : "bg-surface-info"}
                    >
                      <BlockStack gap="100">
                        <Text as="span" variant="bodySm" tone="subdued">
                          {message.role === "user" ? "Shopper" : "Assistant"} · {formatDateTime(message.createdAt)}
                        </Text>
                        <div data-message-role={message.role}>
                          <Text as="p">{message.text}</Text>
                        </div>
                        {message.productIds.length > 0 && (
                          <InlineStack gap="100">
                            {message.productIds.map((id) => (
                              <Badge key={id} tone="info">
                                {title(id)}
                              </Badge>
                            ))}
                          </InlineStack>
                        )}
                      </BlockStack>
                    </Box>
                  ))}
                  {selected.cartEvents.map((event) => (
                    <Text key={event.id} as="p" tone="success">
                      Added to cart: {title(event.productId)} ({formatDateTime(event.createdAt)})
                    </Text>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {firstPage && page.items.length === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="No conversations yet" image="">
                <p>When shoppers chat with the assistant on your storefront, their conversations appear here.</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <Layout.Section>
            <Card padding="0">
              <DataTable
                label="Conversations"
                columnContentTypes={["text", "text", "numeric"]}
                headings={["Last message", "Shopper", "Messages"]}
                rows={page.items.map((conversation) => [
                  <Button key="open" variant="plain" url={withParams({ conversation: conversation.id })}>
                    {formatDateTime(conversation.lastMessageAt)}
                  </Button>,
                  conversation.customerId ? `Customer ${conversation.customerId}` : "Anonymous",
                  conversation.messageCount,
                ])}
              />
              <Box padding="300">
                <InlineStack align="center">
                  <Pagination
                    hasPrevious={Boolean(cursor)}
                    // No URL without a page: a disabled Polaris link is an <a> without href, where aria-label
                    // is not allowed (axe aria-prohibited-attr).
                    previousURL={cursor ? "?" : undefined}
                    hasNext={Boolean(page.nextCursor)}
                    nextURL={page.nextCursor ? withParams({ cursor: page.nextCursor, conversation: null }) : undefined}
                  />
                </InlineStack>
              </Box>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <ConversationsChart
              series={perDay}
              empty={hasValues(perDay) ? null : "No conversations in the last 14 days."}
            />
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <SectionCard title="Top questions">
            <GroupList groups={insights.topQueries} empty="No questions yet." />
          </SectionCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <SectionCard title="Unanswered or without matching products">
            <GroupList groups={insights.unanswered} empty="Every question got an answer with products." />
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Products from chat">
            {insights.products.length ? (
              <DataTable
                label="Products from chat"
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Product", "Recommended", "Added to cart"]}
                rows={insights.products.map((p) => [p.title ?? `Product ${p.productId}`, p.recommended, p.addedToCart])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No products recommended yet.
              </Text>
            )}
            <Text as="p" variant="bodySm" tone="subdued">
              From the latest {Math.min(insights.conversationsAnalysed, INSIGHT_CONVERSATIONS)} conversations:{" "}
              {insights.questions} questions, {insights.cartAdds} add-to-cart from chat.
            </Text>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Customer data requests">
            {downloadError && (
              <Text as="p" tone="critical">
                {downloadError}
              </Text>
            )}
            {exports.length ? (
              <DataTable
                label="Customer data requests"
                columnContentTypes={["text", "text", "text"]}
                headings={["Requested", "Customer", "Export"]}
                rows={exports.map((record) => [
                  formatDateTime(record.createdAt),
                  record.customerId,
                  <Button
                    key="download"
                    onClick={() =>
                      downloadExport(record.id, record.customerId).catch((error: Error) =>
                        setDownloadError(error.message),
                      )
                    }
                  >
                    Download JSON
                  </Button>,
                ])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No customers/data_request received. When Shopify forwards one, its export appears here to download.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Privacy and uninstall requests">
            {retryResult?.error && <Banner tone="warning">{retryResult.error}</Banner>}
            {retryResult?.retried && (
              <Banner tone="info">Retry started: the request runs again from its last step.</Banner>
            )}
            {jobs.length ? (
              <DataTable
                label="Privacy and uninstall requests"
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Received", "Request", "State", "Details"]}
                rows={jobs.map((job) => [
                  formatDateTime(job.createdAt),
                  job.topic,
                  <JobStatus key="status" status={job.status} />,
                  job.status === "done" ? (
                    `${job.outcome ?? "done"} · ${formatDateTime(job.finishedAt)}`
                  ) : (
                    <InlineStack key="details" gap="200" blockAlign="center">
                      <Text as="span">
                        {[job.attempts ? `${job.attempts} attempts` : "", job.lastError ?? ""]
                          .filter(Boolean)
                          .join(" · ")}
                      </Text>
                      {job.status === "failed" && (
                        <RetryJob
                          webhookId={job.webhookId}
                          label={`Retry ${job.topic} received ${formatDateTime(job.createdAt)}`}
                        />
                      )}
                    </InlineStack>
                  ),
                ])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No compliance or uninstall webhooks received. Each one Shopify sends is listed here while it runs.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
