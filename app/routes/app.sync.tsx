import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Modal, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { ImportProgress } from "../components/import-progress";
import { usePolling } from "../components/use-polling";
import { formatAgo, formatCount, formatDateTime } from "../lib/dashboard/format";
import { loadOverview } from "../lib/dashboard/overview.server";
import { runSyncControl, type SyncControl } from "../lib/dashboard/sync-controls.server";
import type { SyncTaskState } from "../lib/dashboard/sync-tasks.server";
import { overviewDependencies } from "../services.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const { session } = await services.shopify.authenticate.admin(request);
  const overview = await loadOverview(overviewDependencies(services), session.shop);
  return { overview, now: new Date().toISOString() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, syncEngine, productIndex, dashboard } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const form = await request.formData();
  return runSyncControl(
    {
      requestImport: (shop) => syncEngine.requestImport(shop),
      reconcile: (shop) => syncEngine.reconcile(shop),
      rebuild: (shop) => productIndex.rebuild(shop),
      tasks: dashboard.tasks,
    },
    session.shop,
    { intent: form.get("intent") },
  );
}

const controls: Record<SyncControl, { title: string; button: string; explain: string; confirm: string }> = {
  import: {
    title: "Full import",
    button: "Start full import",
    explain:
      "Exports every product from Shopify in bulk and brings the index up to date. Search keeps working meanwhile.",
    confirm: "Shopify exports the whole catalog; products whose text changed are embedded again.",
  },
  reconcile: {
    title: "Reconcile now",
    button: "Reconcile now",
    explain:
      "Compares Shopify, the sync state and the index, and queues whatever differs (missed webhooks, lost writes).",
    confirm:
      "Reads product ids and update times from Shopify and the index; differences are queued for the sync worker.",
  },
  rebuild: {
    title: "Rebuild index",
    button: "Rebuild index",
    explain: "Re-embeds every product into a new collection and switches search over at once: zero downtime.",
    confirm:
      "Every product is embedded again into a new collection; search answers from the current one until the switch.",
  },
};

function TaskStatus({ task, now }: { task: SyncTaskState | null; now: Date }) {
  if (!task) return null;
  if (task.status === "running")
    return (
      <div data-task-status="running">
        <Text as="p" tone="subdued">
          Running since {formatAgo(task.startedAt, now)}…
        </Text>
      </div>
    );
  return (
    <div data-task-status={task.status}>
      <Text as="p" tone={task.status === "failed" ? "critical" : "success"}>
        {task.status === "failed"
          ? `Failed: ${task.error}`
          : `Done ${formatAgo(task.finishedAt, now)}: ${task.summary}`}
      </Text>
    </div>
  );
}

export default function SyncControls() {
  const { overview, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [confirming, setConfirming] = useState<SyncControl | null>(null);
  const { status, tasks, index } = overview;
  const busy = {
    import: overview.importActive,
    reconcile: tasks.reconcile?.status === "running",
    rebuild: tasks.rebuild?.status === "running" || Boolean(index?.rebuilding),
  };
  usePolling(busy.import || busy.reconcile || busy.rebuild, 1000);
  const at = new Date(now);
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";

  const details: Record<SyncControl, JSX.Element> = {
    import: status.lastImport ? (
      <BlockStack gap="200">
        <ImportProgress progress={status.lastImport} />
        <Text as="p" variant="bodySm" tone="subdued">
          Started {formatDateTime(status.lastImport.startedAt)}
        </Text>
      </BlockStack>
    ) : (
      <Text as="p" tone="subdued">
        No import has run yet.
      </Text>
    ),
    reconcile: (
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          Last reconciliation: {formatAgo(status.drift.lastReconcileAt, at)}
          {status.drift.lastReconcileAt
            ? ` — missing ${status.drift.missing}, extra ${status.drift.extra}, stale ${status.drift.stale}, index ${status.drift.index}`
            : ""}
        </Text>
        <TaskStatus task={tasks.reconcile} now={at} />
      </BlockStack>
    ),
    rebuild: (
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {index
            ? `Active collection ${index.collection} (generation ${index.generation}, ${formatCount(index.size)} vectors)`
            : "Nothing indexed yet."}
        </Text>
        <TaskStatus task={tasks.rebuild} now={at} />
      </BlockStack>
    ),
  };

  return (
    <Page title="Sync controls" backAction={{ content: "Overview", url: "/app" }}>
      <Layout>
        {result && !result.ok && (
          <Layout.Section>
            <Banner tone="critical" title="That did not work">
              <p>{result.error}</p>
            </Banner>
          </Layout.Section>
        )}
        {result?.ok && (
          <Layout.Section>
            <Banner tone="info" title={result.message} />
          </Layout.Section>
        )}
        {(Object.keys(controls) as SyncControl[]).map((intent) => (
          <Layout.Section key={intent}>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {controls[intent].title}
                  </Text>
                  <Button
                    variant={intent === "import" ? "primary" : "secondary"}
                    disabled={busy[intent] || submitting}
                    loading={busy[intent]}
                    onClick={() => setConfirming(intent)}
                  >
                    {controls[intent].button}
                  </Button>
                </InlineStack>
                <Text as="p">{controls[intent].explain}</Text>
                <Box>{details[intent]}</Box>
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}
      </Layout>
      {confirming && (
        <Modal
          open
          title={`${controls[confirming].title}?`}
          onClose={() => setConfirming(null)}
          primaryAction={{
            content: controls[confirming].button,
            onAction: () => {
              submit({ intent: confirming }, { method: "post" });
              setConfirming(null);
            },
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(null) }]}
        >
          <Modal.Section>
            <Text as="p">{controls[confirming].confirm}</Text>
          </Modal.Section>
        </Modal>
      )}
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
