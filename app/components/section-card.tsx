import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A dashboard card with its heading: the one shape most dashboard sections take. */
export function SectionCard({
  title,
  gap = "300",
  children,
}: {
  title: ReactNode;
  gap?: "200" | "300";
  children: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
