import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { INDEXABLE_FIELDS, type IndexableField } from "../lib/catalog/indexable-fields";
import { formatDateTime } from "../lib/dashboard/format";
import {
  ANSWER_LENGTH_LABELS,
  ANSWER_LENGTHS,
  INDEXABLE_FIELD_LABELS,
  MAX_HOLDOUT_PERCENT,
  SETTINGS_LIMITS,
  settingsInputFromForm,
  TONE_LABELS,
  TONES,
  type AssistantSettings,
} from "../lib/settings/assistant-settings";
import { getAssistantSettings, saveAssistantSettings } from "../lib/settings/settings-store.server";
import { overviewDependencies } from "../services.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { services } = context;
  const { prisma } = services;
  const { session } = await services.shopify.authenticate.admin(request);
  const stored = await getAssistantSettings(prisma, session.shop);
  const deps = overviewDependencies(services);
  return {
    ...stored,
    environment: {
      embeddings: `${deps.embeddings.provider} · ${deps.embeddings.model}${deps.embeddings.dimensions ? ` (${deps.embeddings.dimensions} dimensions)` : ""}`,
      llm:
        deps.llm.provider === "none"
          ? "none — answers come from search results alone"
          : `${deps.llm.provider} · ${deps.llm.model}`,
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shopify, prisma } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  return saveAssistantSettings(prisma, session.shop, settingsInputFromForm(await request.formData()));
}

export default function Settings() {
  const { settings, updatedAt, environment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [values, setValues] = useState<AssistantSettings>(settings);
  // After a successful save the loader's values are the truth again; after a rejected one the
  // merchant's input stays so the marked fields can be fixed.
  useEffect(() => {
    if (!result || result.ok) setValues(settings);
  }, [settings, result]);
  const errors = result && !result.ok ? result.errors : {};
  const set =
    <K extends keyof AssistantSettings>(key: K) =>
    (value: AssistantSettings[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const toggleField = (field: IndexableField, checked: boolean) =>
    setValues((current) => ({
      ...current,
      indexedFields: checked ? [...current.indexedFields, field] : current.indexedFields.filter((f) => f !== field),
    }));

  return (
    <Page title="Assistant settings" backAction={{ content: "Overview", url: "/app" }}>
      <Form method="post">
        <Layout>
          {result?.ok && (
            <Layout.Section>
              <Banner tone="success" title="Settings saved">
                {result.requeuedProducts > 0 && (
                  <p>
                    The indexed fields changed: {result.requeuedProducts} products are being embedded again with the new
                    text.
                  </p>
                )}
              </Banner>
            </Layout.Section>
          )}
          {result && !result.ok && (
            <Layout.Section>
              <Banner tone="critical" title="The settings were not saved">
                <p>Fix the fields marked below; nothing was changed.</p>
              </Banner>
            </Layout.Section>
          )}
          <Layout.AnnotatedSection
            title="Models"
            description="Chosen by the deployment's environment (EMBEDDINGS_*, LLM_*), shown here for reference."
          >
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between">
                  <Text as="span" tone="subdued">
                    Embeddings
                  </Text>
                  <Text as="span">{environment.embeddings}</Text>
                </InlineStack>
                <InlineStack align="space-between">
                  <Text as="span" tone="subdued">
                    Language model
                  </Text>
                  <Text as="span">{environment.llm}</Text>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Voice" description="Who the assistant is and how it answers shoppers.">
            <Card>
              <FormLayout>
                <TextField
                  label="Persona"
                  name="persona"
                  value={values.persona}
                  onChange={set("persona")}
                  multiline={3}
                  maxLength={SETTINGS_LIMITS.persona}
                  showCharacterCount
                  autoComplete="off"
                  error={errors.persona}
                />
                <FormLayout.Group>
                  <Select
                    label="Tone"
                    name="tone"
                    options={TONES.map((tone) => ({ label: TONE_LABELS[tone], value: tone }))}
                    value={values.tone}
                    onChange={(value) => set("tone")(value as AssistantSettings["tone"])}
                    error={errors.tone}
                  />
                  <Select
                    label="Answer length"
                    name="answerLength"
                    options={ANSWER_LENGTHS.map((length) => ({ label: ANSWER_LENGTH_LABELS[length], value: length }))}
                    value={values.answerLength}
                    onChange={(value) => set("answerLength")(value as AssistantSettings["answerLength"])}
                    error={errors.answerLength}
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="What the search index reads"
            description="The title is always embedded. Changing these embeds every product again (search keeps working meanwhile)."
          >
            <Card>
              <BlockStack gap="100">
                {INDEXABLE_FIELDS.map((field) => (
                  <Checkbox
                    key={field}
                    label={INDEXABLE_FIELD_LABELS[field]}
                    name="indexedFields"
                    value={field}
                    checked={values.indexedFields.includes(field)}
                    onChange={(checked) => toggleField(field, checked)}
                  />
                ))}
                {errors.indexedFields && (
                  <Text as="p" tone="critical">
                    {errors.indexedFields}
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Storefront widget" description="Texts shoppers see in the chat widget.">
            <Card>
              <FormLayout>
                <TextField
                  label="Widget title"
                  name="widgetTitle"
                  value={values.widgetTitle}
                  onChange={set("widgetTitle")}
                  maxLength={SETTINGS_LIMITS.widgetTitle}
                  showCharacterCount
                  autoComplete="off"
                  error={errors.widgetTitle}
                />
                <TextField
                  label="Greeting"
                  name="widgetGreeting"
                  value={values.widgetGreeting}
                  onChange={set("widgetGreeting")}
                  multiline={2}
                  maxLength={SETTINGS_LIMITS.widgetGreeting}
                  showCharacterCount
                  autoComplete="off"
                  error={errors.widgetGreeting}
                />
                <TextField
                  label="Input placeholder"
                  name="widgetPlaceholder"
                  value={values.widgetPlaceholder}
                  onChange={set("widgetPlaceholder")}
                  maxLength={SETTINGS_LIMITS.widgetPlaceholder}
                  autoComplete="off"
                  error={errors.widgetPlaceholder}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Holdout test"
            description="To measure what the assistant adds, a share of visitors can be kept from seeing it. Results then compares orders per visitor of both groups. 0 switches the test off."
          >
            <Card>
              <FormLayout>
                <TextField
                  label="Visitors who do not see the assistant (%)"
                  name="holdoutPercent"
                  type="number"
                  min={0}
                  max={MAX_HOLDOUT_PERCENT}
                  value={String(values.holdoutPercent)}
                  onChange={(value) => setValues((current) => ({ ...current, holdoutPercent: Number(value) }))}
                  autoComplete="off"
                  helpText={`From 0 (off) to ${MAX_HOLDOUT_PERCENT}. A visitor stays in the same group on every visit.`}
                  error={errors.holdoutPercent}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="span" tone="subdued">
                {updatedAt ? `Last saved ${formatDateTime(updatedAt)}` : "Using the defaults"}
              </Text>
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                Save settings
              </Button>
            </InlineStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

// A designed error state that keeps the admin navigation (auth responses still go to Shopify's boundary).
export { PageErrorBoundary as ErrorBoundary } from "../components/page-error";
