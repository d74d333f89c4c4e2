// Reads and writes a shop's assistant settings (table AssistantSettings). No row means the
// defaults. A change of the indexed fields changes every product's embedded text, so the same
// transaction marks the shop's products for another pass of the sync worker.
import type { PrismaClient } from "@prisma/client";
import type { DocumentOptions } from "../catalog/product-document";
import type { AnswerStyle } from "../chat/types";
import { requeueShop } from "../sync/product-state.server";
import {
  assistantSettingsSchema,
  DEFAULT_ASSISTANT_SETTINGS,
  indexedFieldsChanged,
  validateAssistantSettings,
  type AssistantSettings,
  type SettingsValidation,
} from "./assistant-settings";

export interface StoredAssistantSettings {
  settings: AssistantSettings;
  /** Null while the shop still uses the defaults. */
  updatedAt: Date | null;
}

export async function getAssistantSettings(db: PrismaClient, shop: string): Promise<StoredAssistantSettings> {
  const row = await db.assistantSettings.findUnique({ where: { shop } });
  if (!row) return { settings: DEFAULT_ASSISTANT_SETTINGS, updatedAt: null };
  let indexedFields: unknown;
  try {
    indexedFields = JSON.parse(row.indexedFieldsJson);
  } catch {
    indexedFields = DEFAULT_ASSISTANT_SETTINGS.indexedFields;
  }
  // Rows are only written validated; a row edited by hand falls back field by field to the defaults.
  const parsed = assistantSettingsSchema.partial().safeParse({ ...row, indexedFields });
  const stored = parsed.success ? parsed.data : {};
  return {
    settings: Object.fromEntries(
      Object.entries(DEFAULT_ASSISTANT_SETTINGS).map(([key, fallback]) => [
        key,
        stored[key as keyof AssistantSettings] ?? fallback,
      ]),
    ) as unknown as AssistantSettings,
    updatedAt: row.updatedAt,
  };
}

export type SaveResult =
  | (Extract<SettingsValidation, { ok: true }> & { requeuedProducts: number })
  | Extract<SettingsValidation, { ok: false }>;

/** Validates and saves; invalid input changes nothing and says what is wrong per field. */
export async function saveAssistantSettings(
  db: PrismaClient,
  shop: string,
  input: Record<string, unknown>,
): Promise<SaveResult> {
  const validation = validateAssistantSettings(input);
  if (!validation.ok) return validation;
  const { settings } = validation;
  const before = (await getAssistantSettings(db, shop)).settings;
  const columns = {
    persona: settings.persona,
    tone: settings.tone,
    answerLength: settings.answerLength,
    indexedFieldsJson: JSON.stringify(settings.indexedFields),
    widgetTitle: settings.widgetTitle,
    widgetGreeting: settings.widgetGreeting,
    widgetPlaceholder: settings.widgetPlaceholder,
    holdoutPercent: settings.holdoutPercent,
  };
  const requeuedProducts = await db.$transaction(async (tx) => {
    await tx.assistantSettings.upsert({ where: { shop }, create: { shop, ...columns }, update: columns });
    if (!indexedFieldsChanged(before, settings)) return 0;
    return requeueShop(tx, shop);
  });
  return { ok: true, settings, requeuedProducts };
}

/** What the sync worker embeds for a shop (SyncEngine `documentOptions`). */
export async function documentOptionsFor(db: PrismaClient, shop: string): Promise<DocumentOptions> {
  const { settings } = await getAssistantSettings(db, shop);
  return { fields: settings.indexedFields };
}

/** The voice the answer engine should use for this shop (persona, tone, answer length). */
export async function answerStyleFor(db: PrismaClient, shop: string): Promise<AnswerStyle> {
  const { settings } = await getAssistantSettings(db, shop);
  return { persona: settings.persona, tone: settings.tone, answerLength: settings.answerLength };
}

/** The shop's holdout share in percent (0 = everyone sees the assistant). */
export async function holdoutPercentFor(db: PrismaClient, shop: string): Promise<number> {
  const row = await db.assistantSettings.findUnique({ where: { shop }, select: { holdoutPercent: true } });
  return row?.holdoutPercent ?? 0;
}
