import { Form, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, InlineStack, List, Text } from "@shopify/polaris";
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

/** One group of the report (missing or extra): a counted heading, then each topic with what is wrong. */
function ReportList({ title, items }: { title: string; items: { key: string; topic: string; detail: string }[] }) {
  if (!items.length) return null;
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {title} ({items.length})
      </Text>
      <List type="bullet">
        {items.map((item) => (
          <List.Item key={item.key}>
            <Text as="span" fontWeight="semibold">
              {item.topic}
            </Text>{" "}
            {item.detail}
          </List.Item>
        ))}
      </List>
    </BlockStack>
  );
}

/** Webhook subscriptions Shopify keeps for this shop compared with shopify.app.toml (decision 107). */
export function SubscriptionHealthCard({ report }: { report: SubscriptionHealthView }) {
  const { tone, label } = badge[report.state];
  const navigation = useNavigation();
  const checking = navigation.state !== "idle" && navigation.formData?.get("intent") === "check-subscriptions";
  return (
    <SectionCard title="Webhook subscriptions" gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" variant="bodySm" tone="subdued">
          Checked {formatDateTime(report.checkedAt)}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Badge tone={tone}>{label}</Badge>
          {/* After a fix (a scope granted, a subscription deleted): see it now, not at the next check. */}
          <Form method="post">
            <input type="hidden" name="intent" value="check-subscriptions" />
            <Button submit size="slim" loading={checking}>
              Check again
            </Button>
          </Form>
        </InlineStack>
      </InlineStack>
      {report.state === "unreachable" && (
        <Text as="p">Shopify could not be asked: {report.error ?? "unknown error"}. The next check retries.</Text>
      )}
      <ReportList
        title="Missing"
        items={report.missing.map((m) => ({ key: m.topic, topic: m.topic, detail: `— ${m.reason}` }))}
      />
      <ReportList
        title="Extra"
        items={report.extra.map((e) => ({ key: e.id, topic: e.topic, detail: `→ ${e.uri} — ${e.reason}` }))}
      />
      {report.state === "ok" && (
        <Text as="p" tone="subdued">
          Every topic of shopify.app.toml is delivered; no other subscriptions.
        </Text>
      )}
    </SectionCard>
  );
}
