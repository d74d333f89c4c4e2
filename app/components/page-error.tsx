import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

/**
 * A dashboard page that failed to load: the admin navigation stays, the page says what failed and
 * offers a retry. Shopify's own auth responses (re-authentication inside the admin) go to the library.
 */
export function PageErrorBoundary() {
  const error = useRouteError();
  if (error && typeof error === "object" && /^ErrorResponse(Impl)?$/.test(error.constructor.name)) {
    const status = isRouteErrorResponse(error) ? error.status : 0;
    if (status === 401 || status === 403 || status === 302) return boundary.error(error);
  }
  // A refused request (400) says why in its body: show that rather than the bare status.
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${typeof error.data === "string" && error.data ? error.data : error.statusText}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <Page title="This page could not load">
      <Banner tone="critical" title="Something went wrong while loading this page">
        <BlockStack gap="200">
          <Text as="p">{detail}</Text>
          <Text as="p" tone="subdued">
            Your data is safe: nothing was changed. If it keeps happening, check the Overview&apos;s service status.
          </Text>
          <div>
            <Button onClick={() => window.location.reload()}>Try again</Button>
          </div>
        </BlockStack>
      </Banner>
    </Page>
  );
}
