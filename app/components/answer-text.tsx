import { Box, Text } from "@shopify/polaris";

/**
 * An answer as the widget would show it (plain text, line breaks kept), or why there is none. The
 * `marker` attribute names the paragraph for the browser tests of the page using it.
 */
export function AnswerText({
  text,
  error,
  marker,
}: {
  text: string;
  error?: string | null;
  marker: "data-answer-text" | "data-preview-answer";
}) {
  if (error) {
    return (
      <Text as="p" tone="critical">
        {error}
      </Text>
    );
  }
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <p {...{ [marker]: "" }} style={{ whiteSpace: "pre-wrap", margin: 0 }}>
        {text}
      </p>
    </Box>
  );
}
