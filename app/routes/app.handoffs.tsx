import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { productTitles } from "../lib/dashboard/conversations.server";
import { formatDateTime } from "../lib/dashboard/format";
import { FLOW_TRIGGER_TOPIC } from "../lib/handoff/handoffs.server";

// The handoff queue (decision 124): shoppers who asked for a person, each with its context packet.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, handoffs, prisma, lifecycleJobs } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const shop = session.shop;
  const [requests, jobs] = await Promise.all([
    handoffs.list(shop),
    lifecycleJobs.list(shop, 100, [FLOW_TRIGGER_TOPIC]),
  ]);
  const titles = await productTitles(
    prisma,
    shop,
    requests.flatMap((request) => request.packet.retrieved),
  );
  // A Flow job that spent its attempts is "failed" on the job, whatever the request last recorded.
  const jobStatus = new Map(jobs.map((job) => [job.webhookId, job.status]));
  return {
    requests: requests.map((request) => ({
      ...request,
      flowStatus: jobStatus.get(`handoff-flow-${request.id}`) === "failed" ? "failed" : request.flowStatus,
    })),
    titles: Object.fromEntries(titles),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, handoffs, lifecycleJobs } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const form = await request.formData();
  const id = form.get("id");
  const intent = form.get("intent");
  if (typeof id !== "string" || !id) return { error: "No request given." };
  if (intent === "resolve" || intent === "reopen") {
    const changed = await handoffs.setStatus(session.shop, id, intent === "resolve" ? "resolved" : "open");
    return { error: changed ? null : "That request no longer exists." };
  }
  if (intent === "retry-flow") {
    const retried = await lifecycleJobs.retry(session.shop, `handoff-flow-${id}`);
    return { error: retried ? null : "The Flow trigger is not failed any more." };
  }
  return { error: "Unknown action." };
}

const flowTones = { pending: "info", retrying: "warning", sent: "success", failed: "critical" } as const;
const flowLabels = {
  pending: "Flow: waiting",
  retrying: "Flow: retrying",
  sent: "Flow: sent",
  failed: "Flow: failed",
} as const;

function StatusButton({ id, resolved, email }: { id: string; resolved: boolean; email: string }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("id") === id;
  return (
    <Form method="post">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="intent" value={resolved ? "reopen" : "resolve"} />
      <Button
        submit
        loading={busy}
        variant={resolved ? "secondary" : "primary"}
        accessibilityLabel={`${resolved ? "Reopen" : "Mark resolved"}: request from ${email}`}
      >
        {resolved ? "Reopen" : "Mark resolved"}
      </Button>
    </Form>
  );
}

export default function HandoffQueue() {
  const { requests, titles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const open = requests.filter((request) => request.status === "open").length;
  return (
    <Page
      title="Handoff queue"
      subtitle="Shoppers who asked for a person, with what the assistant saw"
      backAction={{ content: "Overview", url: "/app" }}
    >
      <Layout>
        {result?.error && (
          <Layout.Section>
            <Banner tone="critical">{result.error}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {open === 1 ? "1 open request" : `${open} open requests`}. Each one also starts the Shopify Flow trigger
            &ldquo;Aisle: shopper asked for a person&rdquo;, so a workflow can email it or post it to your team.
          </Text>
        </Layout.Section>
        {requests.length === 0 && (
          <Layout.Section>
            <Card>
              <EmptyState heading="No one has asked for a person yet" image="">
                <p>
                  When a shopper asks for a person, or the assistant cannot help twice in a row, their request lands
                  here.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        )}
        {requests.map((request) => {
          const flowStatus = (
            request.flowStatus in flowTones ? request.flowStatus : "pending"
          ) as keyof typeof flowTones;
          return (
            <Layout.Section key={request.id}>
              <div data-handoff-request={request.id}>
                <Card>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <BlockStack gap="100">
                        <Text as="h2" variant="headingMd">
                          {request.email}
                        </Text>
                        <Text as="p" tone="subdued">
                          {formatDateTime(request.createdAt)} ·{" "}
                          {request.customerId ? `Logged-in customer ${request.customerId}` : "Anonymous visitor"}
                        </Text>
                      </BlockStack>
                      <InlineStack gap="200" blockAlign="center">
                        <Badge tone={request.status === "open" ? "attention" : "success"}>
                          {request.status === "open" ? "Open" : "Resolved"}
                        </Badge>
                        <Badge tone={flowTones[flowStatus]}>{flowLabels[flowStatus]}</Badge>
                        <StatusButton id={request.id} resolved={request.status === "resolved"} email={request.email} />
                      </InlineStack>
                    </InlineStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        Message
                      </Text>
                      <div data-handoff-message>
                        <Text as="p">{request.message}</Text>
                      </div>
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        Why the assistant stopped
                      </Text>
                      <Text as="p">{request.packet.why}</Text>
                    </BlockStack>
                    {flowStatus !== "sent" && request.flowError && (
                      <Text as="p" tone="critical">
                        Flow trigger: {request.flowError}
                      </Text>
                    )}
                    {flowStatus === "failed" && (
                      <Form method="post">
                        <input type="hidden" name="id" value={request.id} />
                        <input type="hidden" name="intent" value="retry-flow" />
                        <Button submit size="slim" accessibilityLabel={`Retry the Flow trigger for ${request.email}`}>
                          Retry Flow trigger
                        </Button>
                      </Form>
                    )}
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        What the assistant retrieved
                      </Text>
                      {request.packet.retrieved.length ? (
                        <InlineStack gap="100">
                          {request.packet.retrieved.map((id) => (
                            <Badge key={id} tone="info">
                              {titles[id] ?? `Product ${id}`}
                            </Badge>
                          ))}
                        </InlineStack>
                      ) : (
                        <Text as="p" tone="subdued">
                          No products.
                        </Text>
                      )}
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        Transcript
                      </Text>
                      {request.packet.transcript.map((line, index) => (
                        <Box
                          key={index}
                          padding="200"
                          borderRadius="200"
                          background={line.role === "user" ? "bg-surface-secondary" : "bg-surface-info"}
                        >
                          <Text as="p" variant="bodySm" tone="subdued">
                            {line.role === "user" ? "Shopper" : "Assistant (AI)"} · {formatDateTime(line.at)}
                          </Text>
                          <Text as="p">{line.text}</Text>
                        </Box>
                      ))}
                    </BlockStack>
                    <Text as="p" variant="bodySm" tone="subdued">
                      Consent given: &ldquo;{request.consentText}&rdquo;
                    </Text>
                  </BlockStack>
                </Card>
              </div>
            </Layout.Section>
          );
        })}
      </Layout>
    </Page>
  );
}
