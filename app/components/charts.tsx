import { BlockStack, Box, SkeletonBodyText, Text } from "@shopify/polaris";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { ChartSeries } from "../lib/dashboard/charts";
import { ClientOnly } from "./client-only";

function ChartFrame({ title, empty, children }: { title: string; empty: string | null; children: () => JSX.Element }) {
  return (
    <BlockStack gap="200">
      <Text as="h2" variant="headingMd">
        {title}
      </Text>
      {empty ? (
        <Box padding="400" background="bg-surface-secondary" borderRadius="200">
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        </Box>
      ) : (
        <div style={{ height: 240 }} data-chart={title}>
          <ClientOnly fallback={<SkeletonBodyText lines={6} />}>
            {() => <PolarisVizProvider>{children()}</PolarisVizProvider>}
          </ClientOnly>
        </div>
      )}
    </BlockStack>
  );
}

// Polaris Viz takes `null` for gaps; our series use null for hours without samples.
const vizData = (series: ChartSeries[]) => series.map((s) => ({ name: s.name, data: s.data }));

export function LagChart({ series, empty }: { series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title="Webhook → searchable lag (last 24 h)" empty={empty}>
      {() => <LineChart data={vizData(series)} theme="Light" showLegend />}
    </ChartFrame>
  );
}

export function ConversationsChart({ series, empty }: { series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title="Conversations per day (last 14 days)" empty={empty}>
      {() => <BarChart data={vizData(series)} theme="Light" showLegend={false} />}
    </ChartFrame>
  );
}

export function ResultsChart({ title, series, empty }: { title: string; series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title={title} empty={empty}>
      {() => <BarChart data={vizData(series)} theme="Light" showLegend={false} />}
    </ChartFrame>
  );
}
