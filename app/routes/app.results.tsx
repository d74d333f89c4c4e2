// Results: what the assistant sold (issue 18, decision 112). Thin: authenticate → period → app/lib/results.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  EmptyState,
  Grid,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { DataTable } from "../components/data-table";
import { useState } from "react";
import { ResultsChart } from "../components/charts";
import { downloadFile } from "../components/download-file";
import { SectionCard } from "../components/section-card";
import { StatTile } from "../components/stat-tile";
import { hasValues } from "../lib/dashboard/charts";
import { summariseConversations } from "../lib/dashboard/conversation-insights";
import { loadRecentThreads } from "../lib/dashboard/conversations.server";
import { formatCount, formatDateTime } from "../lib/dashboard/format";
import type { HoldoutComparison } from "../lib/results/holdout-stats";
import { loadResults, periodFromRequest } from "../lib/results/results.server";
import { formatMinor, PERIOD_DAYS, resultsSeries, type ResultsReport } from "../lib/results/results-report";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, prisma, customers, handoffs } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const period = periodFromRequest(request);
  const [report, threads] = await Promise.all([
    loadResults(prisma, session.shop, period),
    loadRecentThreads(customers, session.shop),
  ]);
  const insights = summariseConversations(threads);
  const handedOff = await handoffs.conversationsHandedOff(session.shop, new Date(report.period.start));
  return {
    report,
    handedOff,
    // The latest conversations, whatever the period (as on the Conversations page): bounded work per view.
    unanswered: { analysed: insights.conversationsAnalysed, conversations: insights.unansweredConversations },
  };
}

const share = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10} %` : "—");

function money(report: ResultsReport, minor: number | null) {
  return minor === null ? "—" : `${formatMinor(minor)}${report.currency ? ` ${report.currency}` : ""}`;
}

function Funnel({ report }: { report: ResultsReport }) {
  const { conversations, productClicks, addsToCart, orders } = report.funnel;
  const steps: [string, number, number | null][] = [
    ["Conversations", conversations, null],
    ["Product clicks from chat", productClicks, conversations],
    ["Adds to cart from chat", addsToCart, conversations],
    ["Assisted orders", orders, conversations],
  ];
  return (
    <DataTable
      label="Funnel"
      columnContentTypes={["text", "numeric", "numeric"]}
      headings={["Step", "Count", "Per conversation"]}
      rows={steps.map(([label, count, base]) => [label, formatCount(count), base === null ? "—" : share(count, base)])}
    />
  );
}

const points = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(Math.round(value * 10_000) / 100)} pts`;
const rate = (value: number | null) => (value === null ? "—" : `${Math.round(value * 10_000) / 100} %`);

function Holdout({ comparison }: { comparison: HoldoutComparison }) {
  const { assistant, holdout, difference, significant, moreVisitorsNeeded } = comparison;
  return (
    <BlockStack gap="300">
      <DataTable
        label="Holdout test"
        columnContentTypes={["text", "numeric", "numeric", "numeric"]}
        headings={["Group", "Visitors", "Orders", "Orders per visitor"]}
        rows={[
          [
            "Saw the assistant",
            formatCount(assistant.visitors),
            formatCount(assistant.orders),
            rate(assistant.conversion),
          ],
          ["Held out", formatCount(holdout.visitors), formatCount(holdout.orders), rate(holdout.conversion)],
        ]}
      />
      <div data-holdout-verdict="">
        <Text as="p">
          {difference === null
            ? "Both groups need visitors before they can be compared."
            : `Difference ${points(difference.estimate)} (95 % interval ${points(difference.low)} to ${points(difference.high)}). ` +
              (significant
                ? "The interval leaves out zero: the difference is unlikely to be chance."
                : moreVisitorsNeeded === null
                  ? "No difference so far."
                  : `Not conclusive yet: about ${formatCount(moreVisitorsNeeded)} more visitors are needed to tell a difference of this size from chance.`)}
        </Text>
      </div>
    </BlockStack>
  );
}

export default function Results() {
  const { report, unanswered, handedOff } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/results";
  const days = String(report.period.days);
  const [orders, revenue] = resultsSeries(report);
  const csvName = `aisle-results-${report.period.start.slice(0, 10)}-${days}d.csv`;

  const picker = (
    <Select
      label="Period"
      labelInline
      options={PERIOD_DAYS.map((value) => ({ label: `Last ${value} days`, value: String(value) }))}
      value={params.get("days") ?? days}
      onChange={(value) => setParams({ days: value })}
    />
  );
  return (
    <Page
      title="Results"
      subtitle="Orders that came from the assistant, and how shoppers got there"
      primaryAction={
        <Button
          onClick={() => {
            setDownloadError(null);
            downloadFile(`/app/results/csv?days=${days}`, csvName).catch((error: Error) =>
              setDownloadError(error.message),
            );
          }}
          disabled={report.empty}
        >
          Export CSV
        </Button>
      }
    >
      <Layout>
        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center" gap="400">
            {picker}
            <Text as="p" tone="subdued" variant="bodySm">
              {report.period.start.slice(0, 10)} to{" "}
              {new Date(Date.parse(report.period.end) - 1).toISOString().slice(0, 10)} (UTC)
            </Text>
          </InlineStack>
        </Layout.Section>
        {downloadError && (
          <Layout.Section>
            <Banner tone="critical" title="The CSV could not be downloaded">
              <p>{downloadError}</p>
            </Banner>
          </Layout.Section>
        )}
        {report.otherCurrencyOrders > 0 && (
          <Layout.Section>
            <Banner tone="info" title="Some orders are in another currency">
              <p>
                {formatCount(report.otherCurrencyOrders)} orders in this period are not in {report.currency}; they are
                left out of the figures rather than added up with a wrong rate.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {loading ? (
          <Layout.Section>
            <SectionCard title="Loading results">
              <SkeletonBodyText lines={8} />
            </SectionCard>
          </Layout.Section>
        ) : report.empty ? (
          <Layout.Section>
            <SectionCard title="No results yet">
              <EmptyState heading="Nothing sold through the assistant in this period" image="">
                <p>
                  When a shopper chats and then checks out, the order appears here with its revenue and the conversation
                  it came from. Try a longer period, or open the storefront and ask the assistant.
                </p>
              </EmptyState>
            </SectionCard>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              {/* The tiles' labels are h3: this names their section for screen readers, between the page's h1 and them. */}
              <Text as="h2" visuallyHidden>
                Totals for the period
              </Text>
              <Grid>
                {[
                  ["Assisted orders", formatCount(report.assisted.orders), `${report.assisted.cancelled} cancelled`],
                  [
                    "Assisted revenue",
                    money(report, report.assisted.revenueMinor),
                    `after ${money(report, report.assisted.refundedMinor)} refunded`,
                  ],
                  [
                    "Average order, assisted",
                    money(report, report.assisted.aovMinor),
                    `other orders: ${money(report, report.unassisted.aovMinor)}`,
                  ],
                  [
                    "Orders assisted",
                    report.assistedShare === null ? "—" : `${Math.round(report.assistedShare * 1000) / 10} %`,
                    `${formatCount(report.unassisted.orders)} other orders`,
                  ],
                ].map(([label, value, help]) => (
                  <Grid.Cell key={label} columnSpan={{ xs: 6, sm: 3, md: 3, lg: 3, xl: 3 }}>
                    <StatTile label={label} value={value} help={help} />
                  </Grid.Cell>
                ))}
              </Grid>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <SectionCard title="Per day">
                <ResultsChart
                  title="Assisted orders per day"
                  series={[orders]}
                  empty={hasValues([orders]) ? null : "No assisted orders in this period."}
                />
                <ResultsChart
                  title={`Assisted revenue per day${report.currency ? ` (${report.currency})` : ""}`}
                  series={[revenue]}
                  empty={hasValues([revenue]) ? null : "No assisted revenue in this period."}
                />
              </SectionCard>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <BlockStack gap="400">
                <SectionCard title="Funnel">
                  <Funnel report={report} />
                  <Text as="p" tone="subdued" variant="bodySm">
                    <span data-unanswered="">
                      {unanswered.analysed
                        ? `${share(unanswered.conversations, unanswered.analysed)} of the latest ${formatCount(unanswered.analysed)} conversations had a question answered without products or not at all (see Conversations).`
                        : "No conversations yet."}
                    </span>{" "}
                    <span data-handed-off="">
                      {`${formatCount(handedOff)} conversations of the period asked for a person (${share(handedOff, report.funnel.conversations)} of ${formatCount(report.funnel.conversations)}; see Handoffs).`}
                    </span>
                  </Text>
                </SectionCard>
                <SectionCard title="Top products sold through chat">
                  {report.topProducts.length ? (
                    <DataTable
                      label="Top products sold through chat"
                      columnContentTypes={["text", "numeric", "numeric"]}
                      headings={["Product", "Units", "Revenue"]}
                      rows={report.topProducts.map((product) => [
                        product.title,
                        formatCount(product.quantity),
                        money(report, product.revenueMinor),
                      ])}
                    />
                  ) : (
                    <Text as="p" tone="subdued">
                      No product the assistant showed has been bought in this period.
                    </Text>
                  )}
                </SectionCard>
              </BlockStack>
            </Layout.Section>
            {report.holdout && (
              <Layout.Section>
                <SectionCard title="Holdout test">
                  <Holdout comparison={report.holdout} />
                </SectionCard>
              </Layout.Section>
            )}
            <Layout.Section>
              <SectionCard title="Latest assisted orders">
                {report.recentAssisted.length ? (
                  <DataTable
                    label="Latest assisted orders"
                    columnContentTypes={["text", "text", "numeric", "text"]}
                    headings={["Order", "Placed", "Revenue", "Conversation"]}
                    rows={report.recentAssisted.map((order) => [
                      order.name,
                      formatDateTime(order.placedAt),
                      money(report, order.revenueMinor),
                      <Link
                        key={order.orderId}
                        url={`/app/conversations?conversation=${encodeURIComponent(order.conversationId)}`}
                        // The visible words begin the spoken name (WCAG 2.5.3, label in name).
                        accessibilityLabel={`Open conversation of order ${order.name}`}
                      >
                        Open conversation
                      </Link>,
                    ])}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    No assisted orders in this period.
                  </Text>
                )}
              </SectionCard>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
