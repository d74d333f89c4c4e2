import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, Grid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { LagChart } from "../components/charts";
import { DashboardBanners } from "../components/dashboard-banners";
import { ImportProgress } from "../components/import-progress";
import { SectionCard } from "../components/section-card";
import { StatTile } from "../components/stat-tile";
import { SubscriptionHealthCard } from "../components/subscription-health-card";
import { usePolling } from "../components/use-polling";
import { hasValues } from "../lib/dashboard/charts";
import { lagOverTime } from "../lib/dashboard/charts.server";
import { formatAgo, formatCount, formatDateTime, formatDuration } from "../lib/dashboard/format";
import { loadOverview } from "../lib/dashboard/overview.server";
import type { ComponentHealth } from "../lib/health.server";
import { overviewDependencies } from "../services.server";

// The subscription report shown is at most this old (issue 14: drift visible within 15 minutes).
const SUBSCRIPTION_REPORT_MAX_AGE_MS = 15 * 60_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const { session } = await services.shopify.authenticate.admin(request);
  const [overview, lag, subscriptions] = await Promise.all([
    loadOverview(overviewDependencies(services), session.shop),
    lagOverTime(services.prisma, session.shop),
    services.subscriptionHealth.recentReport(session.shop, SUBSCRIPTION_REPORT_MAX_AGE_MS),
  ]);
  return { overview, lag, subscriptions, now: new Date().toISOString() };
}

/** "Check again" on the webhook subscriptions card: a fresh comparison for this shop now (decision 107). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, subscriptionHealth } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "check-subscriptions") return { checked: false };
  // Bounded like the page's own check: a slow Shopify leaves it running and the page shows the last report.
  await subscriptionHealth.recentReport(session.shop, 0);
  return { checked: true };
}

const componentLabels = {
  database: "Database",
  vectorStore: "Vector store",
  embedder: "Embeddings",
  llm: "Language model",
  customerStore: "Customer store",
};

function StatusBadge({ component }: { component: ComponentHealth }) {
  const tone = component.status === "ok" ? "success" : component.status === "disabled" ? "info" : "critical";
  const label = component.status === "ok" ? "Healthy" : component.status === "disabled" ? "Off" : "Unreachable";
  return <Badge tone={tone}>{label}</Badge>;
}

/** APPWRITE_PRODUCTS: the shop's product documents in Appwrite against its indexed products (decision 120). */
function MirrorLine({
  mirror,
}: {
  mirror: { expected: number; inAppwrite: number | null; waiting: number; lastError: string | null };
}) {
  const inSync = mirror.inAppwrite === mirror.expected && mirror.waiting === 0;
  const held = mirror.inAppwrite === null ? "Appwrite did not answer" : `${mirror.inAppwrite} in Appwrite`;
  const detail = [`${held} of ${mirror.expected} indexed`, `${mirror.waiting} waiting`, mirror.lastError]
    .filter(Boolean)
    .join(" · ");
  return (
    <InlineStack align="space-between" blockAlign="center">
      <BlockStack gap="050">
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          Product mirror (Appwrite)
        </Text>
        <Text as="span" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
      <Badge tone={inSync ? "success" : mirror.inAppwrite === null ? "critical" : "attention"}>
        {inSync ? "In sync" : mirror.inAppwrite === null ? "Unreachable" : "Catching up"}
      </Badge>
    </InlineStack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <InlineStack align="space-between" gap="400">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" fontWeight="medium">
        {value}
      </Text>
    </InlineStack>
  );
}

export default function Overview() {
  const { overview, lag, subscriptions, now } = useLoaderData<typeof loader>();
  const { status, health, index } = overview;
  usePolling(overview.importActive || overview.status.pending > 0, 1500);
  const at = new Date(now);
  const drift = status.drift;
  return (
    <Page title="Overview" subtitle={overview.shop}>
      <Layout>
        {overview.banners.length > 0 && (
          <Layout.Section>
            <DashboardBanners banners={overview.banners} />
          </Layout.Section>
        )}
        {status.lastImport && (
          <Layout.Section>
            <SectionCard title={overview.importActive ? "Import in progress" : "Last import"}>
              <ImportProgress progress={status.lastImport} />
              <Text as="p" variant="bodySm" tone="subdued">
                Started {formatDateTime(status.lastImport.startedAt)}
                {status.lastImport.finishedAt ? ` · finished ${formatDateTime(status.lastImport.finishedAt)}` : ""}
              </Text>
            </SectionCard>
          </Layout.Section>
        )}
        <Layout.Section>
          <Grid columns={{ xs: 2, sm: 2, md: 4, lg: 4, xl: 4 }}>
            <Grid.Cell>
              <StatTile label="Products in Shopify" value={formatCount(status.productsInShopify)} />
            </Grid.Cell>
            <Grid.Cell>
              <StatTile label="Indexed" value={formatCount(status.indexed)} />
            </Grid.Cell>
            <Grid.Cell>
              <StatTile
                label="Pending"
                value={formatCount(status.pending)}
                help={
                  overview.oldestWaitingSince
                    ? `oldest waiting ${formatAgo(overview.oldestWaitingSince, at)}`
                    : undefined
                }
              />
            </Grid.Cell>
            <Grid.Cell>
              <StatTile label="Failed" value={formatCount(status.failed)} />
            </Grid.Cell>
          </Grid>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <SectionCard title="Sync" gap="200">
            <Fact label="Last full import" value={formatAgo(status.lastImport?.finishedAt ?? null, at)} />
            <Fact label="Last webhook" value={formatAgo(status.lastWebhookAt, at)} />
            <Fact label="Webhooks received" value={formatCount(status.webhooksReceived)} />
            <Fact
              label="Webhook → searchable (p50 / p95)"
              value={`${formatDuration(status.lagMs.p50)} / ${formatDuration(status.lagMs.p95)}`}
            />
            <Fact
              label="Last reconciliation"
              value={
                drift.lastReconcileAt
                  ? `${formatAgo(drift.lastReconcileAt, at)} · drift ${drift.missing} missing, ${drift.extra} extra, ${drift.stale} stale, ${drift.index} index`
                  : "not yet"
              }
            />
            <Fact
              label="Embedding calls / tokens"
              value={`${formatCount(status.embedding.calls)} / ~${formatCount(status.embedding.tokens)}`}
            />
          </SectionCard>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <SectionCard title="Search index" gap="200">
            <Fact label="Embeddings (configured)" value={overview.configured.embeddings} />
            <Fact label="Language model" value={overview.configured.llm} />
            {index ? (
              <>
                <Fact label="Index built with" value={`${index.provider} · ${index.model}`} />
                <Fact label="Dimensions" value={formatCount(index.dimensions)} />
                <Fact label="Vectors in index" value={formatCount(index.size)} />
                <Fact label="Collection" value={`${index.collection}${index.rebuilding ? " (rebuilding…)" : ""}`} />
              </>
            ) : (
              <Text as="p" tone="subdued">
                Nothing indexed yet.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <LagChart
              series={lag}
              empty={hasValues(lag) ? null : "No product changes arrived by webhook in the last 24 hours."}
            />
          </Card>
        </Layout.Section>
        <Layout.Section>
          {subscriptions ? (
            <SubscriptionHealthCard report={subscriptions} />
          ) : (
            <SectionCard title="Webhook subscriptions">
              <Text as="p" tone="subdued">
                Asking Shopify which webhook subscriptions this shop has…
              </Text>
            </SectionCard>
          )}
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Services">
            {Object.entries(health.components).map(([key, component]) => (
              <InlineStack key={key} align="space-between" blockAlign="center">
                <BlockStack gap="050">
                  <Text as="span" variant="bodyMd" fontWeight="semibold">
                    {componentLabels[key as keyof typeof componentLabels]}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {component.detail}
                  </Text>
                </BlockStack>
                <StatusBadge component={component} />
              </InlineStack>
            ))}
            {overview.mirror ? <MirrorLine mirror={overview.mirror} /> : null}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
