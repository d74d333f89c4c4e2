import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { checkHealth, type ComponentHealth } from "../lib/health.server";
import { healthDependencies } from "../services.server";
import { authenticate } from "../shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const health = await checkHealth(healthDependencies());
  return { shop: session.shop, health };
}

const componentLabels = {
  database: "Database",
  chroma: "Vector store (Chroma)",
  embedder: "Embeddings",
  llm: "Language model",
};

function StatusBadge({ component }: { component: ComponentHealth }) {
  const tone = component.status === "ok" ? "success" : component.status === "disabled" ? "info" : "critical";
  const label = component.status === "ok" ? "Healthy" : component.status === "disabled" ? "Off" : "Unreachable";
  return <Badge tone={tone}>{label}</Badge>;
}

export default function Overview() {
  const { shop, health } = useLoaderData<typeof loader>();
  return (
    <Page title="Overview" subtitle={shop}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Services
              </Text>
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
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
