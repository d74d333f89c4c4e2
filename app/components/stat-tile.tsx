import { BlockStack, Card, Text } from "@shopify/polaris";

export function StatTile({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <span data-stat={label}>
          <Text as="span" variant="headingLg">
            {value}
          </Text>
        </span>
        {help && (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
