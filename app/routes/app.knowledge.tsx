import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
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
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { AnswerText } from "../components/answer-text";
import { DataTable } from "../components/data-table";
import { SearchForm } from "../components/search-form";
import { formatDateTime } from "../lib/dashboard/format";
import { knowledgeAction, knowledgeOverview, previewAnswer } from "../lib/dashboard/knowledge.server";
import { answerStyleFor } from "../lib/settings/settings-store.server";

// Store knowledge (decision 125): sources and refresh, the merchant's Q&A, and a preview answer.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shopify, knowledge, answerEngine, prisma } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const shop = session.shop;
  const [overview, preview] = await Promise.all([
    knowledgeOverview(knowledge, shop),
    // The widget's answer: the same engine with the shop's assistant voice, as the playground asks it.
    previewAnswer(
      async function* (input) {
        yield* answerEngine.answer({ ...input, style: await answerStyleFor(prisma, input.shop) });
      },
      shop,
      new URL(request.url).searchParams.get("q"),
    ),
  ]);
  return { ...overview, preview };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, knowledge } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  return knowledgeAction(knowledge, session.shop, await request.formData());
}

type ActionResult = ReturnType<typeof useActionData<typeof action>>;

function QuestionForm({
  entry,
  result,
  onCancel,
}: {
  entry: { id: string; question: string; answer: string } | null;
  result: ActionResult;
  onCancel?: () => void;
}) {
  const navigation = useNavigation();
  const [question, setQuestion] = useState(entry?.question ?? "");
  const [answer, setAnswer] = useState(entry?.answer ?? "");
  const id = entry?.id ?? null;
  // Errors belong to the form that was posted: the new-entry form or the one entry being edited.
  const errors = result?.intent === "save" && !result.ok && result.id === id ? result.errors : {};
  const busy =
    navigation.state !== "idle" &&
    navigation.formData?.get("intent") === "save" &&
    (navigation.formData?.get("id") ?? "") === (id ?? "");
  const suffix = id ? `edit-${id}` : "new";
  return (
    <Form method="post" data-question-form={id ?? "new"}>
      <input type="hidden" name="intent" value="save" />
      {id && <input type="hidden" name="id" value={id} />}
      <BlockStack gap="300">
        {errors.form && (
          <Banner tone="critical" title="The question was not saved">
            <p>{errors.form}</p>
          </Banner>
        )}
        <TextField
          id={`question-${suffix}`}
          label="Shopper's question"
          name="question"
          value={question}
          onChange={setQuestion}
          autoComplete="off"
          placeholder="Can I pick up my order in person?"
          error={errors.question}
        />
        <TextField
          id={`answer-${suffix}`}
          label="Answer"
          name="answer"
          value={answer}
          onChange={setAnswer}
          autoComplete="off"
          multiline={3}
          helpText="The assistant quotes this word for word."
          error={errors.answer}
        />
        <InlineStack gap="200">
          <Button submit variant="primary" loading={busy}>
            {id ? "Save changes" : "Add question"}
          </Button>
          {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function QuestionRow({
  entry,
  result,
}: {
  entry: { id: string; question: string; answer: string };
  result: ActionResult;
}) {
  const navigation = useNavigation();
  const [editing, setEditing] = useState(false);
  // A saved edit closes; one that failed validation stays open with its errors.
  useEffect(() => {
    if (result?.intent === "save" && result.id === entry.id) setEditing(!result.ok);
  }, [result, entry.id]);
  const deleting = navigation.formData?.get("intent") === "delete" && navigation.formData?.get("id") === entry.id;
  if (editing) {
    return (
      <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
        <QuestionForm key={entry.answer} entry={entry} result={result} onCancel={() => setEditing(false)} />
      </Box>
    );
  }
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <div data-question-entry={entry.id}>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {entry.question}
          </Text>
          <p style={{ whiteSpace: "pre-wrap", margin: 0 }}>{entry.answer}</p>
          <InlineStack gap="200">
            <Button onClick={() => setEditing(true)} accessibilityLabel={`Edit: ${entry.question}`}>
              Edit
            </Button>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="id" value={entry.id} />
              <Button submit tone="critical" loading={deleting} accessibilityLabel={`Delete: ${entry.question}`}>
                Delete
              </Button>
            </Form>
          </InlineStack>
        </BlockStack>
      </div>
    </Box>
  );
}

export default function Knowledge() {
  const { sources, passages, refresh, questions, preview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [question, setQuestion] = useState(preview.q);
  const refreshing = navigation.formData?.get("intent") === "refresh";
  const notice = result && result.intent !== "save" ? result : null;
  // A successful add empties the new-entry form (a new key remounts it).
  const newFormKey = result?.intent === "save" && result.ok && !result.id ? `saved-${questions.length}` : "new";

  return (
    <Page title="Store knowledge" backAction={{ content: "Overview", url: "/app" }}>
      <Layout>
        {notice && (
          <Layout.Section>
            <div data-knowledge-notice>
              <Banner tone={notice.ok ? "success" : "critical"}>
                <p>{notice.message}</p>
              </Banner>
            </div>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <Box padding="300">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <Text as="h2" variant="headingMd">
                    Sources
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="refresh" />
                    <Button submit loading={refreshing}>
                      Refresh now
                    </Button>
                  </Form>
                </InlineStack>
                <Text as="p" tone="subdued">
                  Policies and pages are read from Shopify
                  {refresh.refreshedAt
                    ? `; last refresh ${formatDateTime(refresh.refreshedAt)}`
                    : "; not read yet"}. {sources.length} sources, {passages} passages.
                </Text>
                {refresh.error && (
                  <Text as="p" tone="critical">
                    The last refresh failed: {refresh.error}
                  </Text>
                )}
              </BlockStack>
            </Box>
            {sources.length ? (
              <DataTable
                label="Knowledge sources"
                columnContentTypes={["text", "text", "text", "numeric"]}
                headings={["Kind", "Title", "Storefront page", "Passages"]}
                rows={sources.map((source) => [source.kind, source.title, source.url ?? "—", source.passages])}
              />
            ) : (
              <Box padding="300">
                <Text as="p" tone="subdued">
                  No policies, pages or questions yet.
                </Text>
              </Box>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Questions and answers
              </Text>
              <Text as="p" tone="subdued">
                Answers the assistant quotes when a shopper asks something your policies and pages do not say.
              </Text>
              {questions.map((entry) => (
                <QuestionRow key={entry.id} entry={entry} result={result} />
              ))}
              <Text as="h3" variant="headingSm">
                Add a question
              </Text>
              <QuestionForm key={newFormKey} entry={null} result={result} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Preview
              </Text>
              <SearchForm
                label="A shopper's question"
                value={question}
                onChange={setQuestion}
                placeholder="What's your return policy?"
                submitLabel="Ask"
                error={preview.error ?? undefined}
              />
              {preview.answer ? (
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    The widget&apos;s answer
                  </Text>
                  <AnswerText text={preview.answer.text} error={preview.answer.error} marker="data-preview-answer" />
                  {preview.answer.sources.length > 0 && (
                    <Text as="p" tone="subdued">
                      Quoted: {preview.answer.sources.map((source) => source.title).join(", ")}
                    </Text>
                  )}
                </BlockStack>
              ) : (
                !preview.error && (
                  <EmptyState heading="See what shoppers would get" image="">
                    <p>Ask a question to see the widget&apos;s answer with your current knowledge.</p>
                  </EmptyState>
                )
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
