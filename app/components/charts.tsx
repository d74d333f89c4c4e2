import { BlockStack, Box, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { CSSProperties } from "react";
import type { ChartSeries } from "../lib/dashboard/charts";
import { ClientOnly } from "./client-only";

// Series colours with at least 3:1 contrast on the white card (WCAG 1.4.11), unlike Polaris Viz's light blue.
const SERIES_COLORS = ["#0b57d0", "#a8328c"];

const visuallyHidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
};

/**
 * The chart's figures as a table for screen readers. Polaris Viz's own hidden table is not valid ARIA (its
 * points are unnamed images inside a table, its legend buttons sit in a list without items), so the drawing
 * is hidden from assistive technology and this table says the same.
 */
function ChartTable({ title, keyLabel, series }: { title: string; keyLabel: string; series: ChartSeries[] }) {
  const keys = series[0]?.data.map((point) => point.key) ?? [];
  return (
    <div style={visuallyHidden}>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            {series.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key, row) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              {series.map((s) => (
                <td key={s.name}>{s.data[row]?.value ?? "no data"}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The legend as plain text with colour swatches: Polaris Viz's legend buttons would be focusable yet hidden. */
function Legend({ series }: { series: ChartSeries[] }) {
  return (
    <InlineStack gap="400">
      {series.map((s, index) => (
        <InlineStack key={s.name} gap="100" blockAlign="center">
          <span
            style={{
              display: "inline-block",
              width: 12,
              height: 12,
              borderRadius: 3,
              background: SERIES_COLORS[index % SERIES_COLORS.length],
            }}
          />
          <Text as="span" variant="bodySm">
            {s.name}
          </Text>
        </InlineStack>
      ))}
    </InlineStack>
  );
}

function ChartFrame({
  title,
  keyLabel,
  series,
  empty,
  legend = false,
  children,
}: {
  title: string;
  keyLabel: string;
  series: ChartSeries[];
  empty: string | null;
  legend?: boolean;
  children: (data: ReturnType<typeof vizData>) => JSX.Element;
}) {
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
        <>
          {legend && <Legend series={series} />}
          <div style={{ height: 240 }} data-chart={title} aria-hidden="true">
            <ClientOnly fallback={<SkeletonBodyText lines={6} />}>
              {() => <PolarisVizProvider>{children(vizData(series))}</PolarisVizProvider>}
            </ClientOnly>
          </div>
          <ChartTable title={title} keyLabel={keyLabel} series={series} />
        </>
      )}
    </BlockStack>
  );
}

// Polaris Viz takes `null` for gaps; our series use null for hours without samples.
const vizData = (series: ChartSeries[]) =>
  series.map((s, index) => ({ name: s.name, data: s.data, color: SERIES_COLORS[index % SERIES_COLORS.length] }));

// Bars, not Polaris Viz's line: its points are Tab stops (one per hour), which a drawing hidden from assistive
// technology must not have; the table below carries the figures.
export function LagChart({ series, empty }: { series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title="Webhook → searchable lag (last 24 h)" keyLabel="Hour (UTC)" series={series} empty={empty} legend>
      {(data) => <BarChart data={data} theme="Light" showLegend={false} />}
    </ChartFrame>
  );
}

export function ConversationsChart({ series, empty }: { series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title="Conversations per day (last 14 days)" keyLabel="Day (UTC)" series={series} empty={empty}>
      {(data) => <BarChart data={data} theme="Light" showLegend={false} />}
    </ChartFrame>
  );
}

export function ResultsChart({ title, series, empty }: { title: string; series: ChartSeries[]; empty: string | null }) {
  return (
    <ChartFrame title={title} keyLabel="Day (UTC)" series={series} empty={empty}>
      {(data) => <BarChart data={data} theme="Light" showLegend={false} />}
    </ChartFrame>
  );
}
