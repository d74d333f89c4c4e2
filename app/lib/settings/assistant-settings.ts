// Per-shop assistant settings: the shape, the defaults and the validation of what a merchant
// submits in the dashboard. Pure (no I/O) so the rules are unit-tested; settings-store.server.ts
// reads and writes them.
import { z } from "zod";
import { INDEXABLE_FIELDS, type IndexableField } from "../catalog/indexable-fields";

export const TONES = ["friendly", "professional", "playful", "concise"] as const;
export const ANSWER_LENGTHS = ["short", "medium", "detailed"] as const;

export type Tone = (typeof TONES)[number];
export type AnswerLength = (typeof ANSWER_LENGTHS)[number];

export const TONE_LABELS: Record<Tone, string> = {
  friendly: "Friendly",
  professional: "Professional",
  playful: "Playful",
  concise: "Concise",
};

export const ANSWER_LENGTH_LABELS: Record<AnswerLength, string> = {
  short: "Short (1–2 sentences)",
  medium: "Medium (a short paragraph)",
  detailed: "Detailed (comparisons and reasons)",
};

export const INDEXABLE_FIELD_LABELS: Record<IndexableField, string> = {
  description: "Description",
  vendor: "Vendor (brand)",
  productType: "Product type",
  tags: "Tags",
  collections: "Collections",
  options: "Options (size, color…)",
  metafields: "Metafields (SYNC_METAFIELDS)",
};

export const SETTINGS_LIMITS = {
  persona: 600,
  widgetTitle: 40,
  widgetGreeting: 240,
  widgetPlaceholder: 80,
} as const;

export interface AssistantSettings {
  persona: string;
  tone: Tone;
  answerLength: AnswerLength;
  /** What feeds the embedded text besides the title (always embedded). */
  indexedFields: IndexableField[];
  widgetTitle: string;
  widgetGreeting: string;
  widgetPlaceholder: string;
  /** Percent of visitors who do not see the assistant, for Results' comparison (0 = off; decision 113). */
  holdoutPercent: number;
}

/** At most half the visitors: beyond that the assistant is the exception, not the thing measured. */
export const MAX_HOLDOUT_PERCENT = 50;

export const DEFAULT_ASSISTANT_SETTINGS: AssistantSettings = {
  persona: "A knowledgeable shop assistant who recommends products from this store's catalog only.",
  tone: "friendly",
  answerLength: "medium",
  indexedFields: [...INDEXABLE_FIELDS],
  widgetTitle: "Ask our shop assistant",
  widgetGreeting: "Hi! Tell me what you are looking for and I will find the right products.",
  widgetPlaceholder: "Ask about products, sizes, materials…",
  holdoutPercent: 0,
};

// Text the assistant and the storefront show: no markup, no control characters.
const shownText = (label: string, max: number, required: boolean) =>
  z
    .string({ message: `${label} is required` })
    .transform((value) => value.replace(/\r\n/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(required ? 1 : 0, `${label} is required`)
        .max(max, `${label} must be at most ${max} characters`)
        .refine((value) => !/[<>]/.test(value), `${label} cannot contain < or >`)
        // eslint-disable-next-line no-control-regex
        .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), {
          message: `${label} contains control characters`,
        }),
    );

export const assistantSettingsSchema = z.object({
  persona: shownText("Persona", SETTINGS_LIMITS.persona, true),
  tone: z.enum(TONES, { message: `Tone must be one of ${TONES.join(", ")}` }),
  answerLength: z.enum(ANSWER_LENGTHS, { message: `Answer length must be one of ${ANSWER_LENGTHS.join(", ")}` }),
  indexedFields: z
    .array(
      z.enum(INDEXABLE_FIELDS, {
        message: `Indexed fields must be among ${INDEXABLE_FIELDS.join(", ")}`,
      }),
    )
    .transform((fields) => INDEXABLE_FIELDS.filter((field) => fields.includes(field))),
  widgetTitle: shownText("Widget title", SETTINGS_LIMITS.widgetTitle, true),
  widgetGreeting: shownText("Greeting", SETTINGS_LIMITS.widgetGreeting, true),
  widgetPlaceholder: shownText("Input placeholder", SETTINGS_LIMITS.widgetPlaceholder, false),
  holdoutPercent: z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, "Holdout must be a whole number")])
    .default(0)
    .transform(Number)
    .pipe(
      z
        .number()
        .int("Holdout must be a whole number")
        .min(0, "Holdout cannot be negative")
        .max(MAX_HOLDOUT_PERCENT, `Holdout must be at most ${MAX_HOLDOUT_PERCENT} %`),
    ),
});

export type SettingsField = keyof AssistantSettings;
export type SettingsErrors = Partial<Record<SettingsField | "form", string>>;

export type SettingsValidation =
  { ok: true; settings: AssistantSettings } | { ok: false; errors: SettingsErrors; values: Record<string, unknown> };

/** Validates a submitted object; every problem is named per field (the first one of each field). */
export function validateAssistantSettings(input: Record<string, unknown>): SettingsValidation {
  const result = assistantSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const errors: SettingsErrors = {};
  for (const issue of result.error.issues) {
    const field = (typeof issue.path[0] === "string" ? issue.path[0] : "form") as SettingsField | "form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: input };
}

/** The dashboard form: one value per text field, `indexedFields` repeated (checkboxes). */
export function settingsInputFromForm(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    persona: text("persona"),
    tone: text("tone"),
    answerLength: text("answerLength"),
    indexedFields: form.getAll("indexedFields").filter((value): value is string => typeof value === "string"),
    widgetTitle: text("widgetTitle"),
    widgetGreeting: text("widgetGreeting"),
    widgetPlaceholder: text("widgetPlaceholder") ?? "",
    holdoutPercent: text("holdoutPercent")?.trim() || "0",
  };
}

/** Whether the embedded text changes (every product must then be embedded again). */
export function indexedFieldsChanged(before: AssistantSettings, after: AssistantSettings): boolean {
  return before.indexedFields.join(",") !== after.indexedFields.join(",");
}
