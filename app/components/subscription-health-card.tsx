import { Badge, BlockStack, InlineStack, List, Text } from "@shopify/polaris";
import { formatDateTime } from "../lib/dashboard/format";
import { SectionCard } from "./section-card";

/** The serialized SubscriptionReport the overview loader returns. */
export interface SubscriptionHealthView {
  checkedAt: Date | string;
  state: "ok" | "drift" | "unreachable";
  missing: { topic: string; reason: string }[];
  extra: { id: string; topic: string; uri: string; reason: string }[];
  error?: string;
}

const badge = {
  ok: { tone: "success", label: "As configured" },
  drift: { tone: "warning", label: "Differs from configuration" },
  unreachable: { tone: "critical", label: "Could not check" },
} as const;

/** Webhook subscriptions Shopify keeps for this shop compared with shopify.app.toml (decision 107). */
export function SubscriptionHealthCard({ report }: { report: SubscriptionHealthView }) {
  const { tone, label } = badge[report.state];
  return (
    <SectionCard title="Webhook subscriptions" gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" variant="bodySm" tone="subdued">
          Checked {formatDateTime(report.checkedAt)}
        </Text>
        <Badge tone={tone}>{label}</Badge>
      </InlineStack>
      {report.state === "unreachable" && (
        <Text as="p">Shopify could not be asked: {report.error ?? "unknown error"}. The next check retries.</Text>
      )}
      {report.missing.length > 0 && (
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Missing ({report.missing.length})
          </Text>
          <List type="bullet">
            {report.missing.map((m) => (
              <List.Item key={m.topic}>
                <Text as="span" fontWeight="semibold">
                  {m.topic}
                </Text>{" "}
                — {m.reason}
              </List.Item>
            ))}
          </List>
        </BlockStack>
      )}
      {report.extra.length > 0 && (
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Extra ({report.extra.length})
          </Text>
          <List type="bullet">
            {report.extra.map((e) => (
              <List.Item key={e.id}>
                <Text as="span" fontWeight="semibold">
                  {e.topic}
                </Text>{" "}
                → {e.uri} — {e.reason}
              </List.Item>
            ))}
          </List>
        </BlockStack>
      )}
      {report.state === "ok" && (
        <Text as="p" tone="subdued">
          Every topic of shopify.app.toml is delivered; no other subscriptions.
        </Text>
      )}
    </SectionCard>
  );
}
