// The store knowledge page (decision 125): the shop's sources with their passages and last refresh,
// the merchant's Q&A (add, edit, delete) and a preview of the widget's answer to one question.
import type { ChatEvent } from "../chat/types";
import type { KnowledgeQuestions } from "../knowledge/knowledge-questions.server";
import type { KnowledgeRefresher } from "../knowledge/knowledge-refresh.server";
import type { KnowledgeStore } from "../knowledge/knowledge-store.server";
import { collectAnswer, playgroundQuery, type CollectedAnswer } from "./playground.server";

export interface KnowledgePageDependencies {
  questions: Pick<KnowledgeQuestions, "list" | "save" | "remove">;
  refresher: Pick<KnowledgeRefresher, "refresh" | "state">;
  store: Pick<KnowledgeStore, "sources">;
}

const KIND_LABELS = { policy: "Policy", page: "Page", qa: "Q&A" } as const;

export async function knowledgeOverview(deps: KnowledgePageDependencies, shop: string) {
  const [sources, state, questions] = await Promise.all([
    deps.store.sources(shop),
    deps.refresher.state(shop),
    deps.questions.list(shop),
  ]);
  // refreshedAt is the epoch until the first attempt (knowledge-refresh.server.ts).
  const refreshedAt = state && state.refreshedAt.getTime() > 0 ? state.refreshedAt.toISOString() : null;
  return {
    sources: sources.map((source) => ({
      kind: KIND_LABELS[source.kind] ?? source.kind,
      title: source.title,
      url: source.url,
      passages: source.passages,
    })),
    passages: sources.reduce((sum, source) => sum + source.passages, 0),
    refresh: { refreshedAt, error: state?.error ?? null },
    questions: questions.map(({ id, question, answer }) => ({ id, question, answer })),
  };
}

export type KnowledgeActionResult =
  | { intent: "save"; id: string | null; ok: boolean; errors: Partial<Record<"question" | "answer" | "form", string>> }
  | { intent: "delete"; ok: boolean; message: string }
  | { intent: "refresh"; ok: boolean; message: string }
  | { intent: "unknown"; ok: false; message: string };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** One form post of the page: save (add or edit) or delete a Q&A entry, or refresh now. */
export async function knowledgeAction(
  deps: KnowledgePageDependencies,
  shop: string,
  form: FormData,
): Promise<KnowledgeActionResult> {
  const intent = text(form, "intent");
  const id = text(form, "id") || null;
  if (intent === "save") {
    const result = await deps.questions.save(
      shop,
      { question: text(form, "question"), answer: text(form, "answer") },
      id ?? undefined,
    );
    return result.ok ? { intent, id, ok: true, errors: {} } : { intent, id, ok: false, errors: result.errors };
  }
  if (intent === "delete") {
    if (!id) return { intent, ok: false, message: "No question given." };
    const removed = await deps.questions.remove(shop, id);
    return removed
      ? { intent, ok: true, message: "Question deleted." }
      : { intent, ok: false, message: "That question no longer exists." };
  }
  if (intent === "refresh") {
    try {
      const report = await deps.refresher.refresh(shop);
      if (!report) return { intent, ok: false, message: "A refresh is already running; try again in a minute." };
      const changed = report.added + report.updated + report.removed;
      return {
        intent,
        ok: true,
        message: `Refreshed: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.unchanged} unchanged.${changed ? "" : " Nothing had changed."}`,
      };
    } catch (error) {
      return { intent, ok: false, message: `Refresh failed: ${(error as Error).message}` };
    }
  }
  return { intent: "unknown", ok: false, message: "Unknown action." };
}

export type KnowledgePreview = { q: string; answer: CollectedAnswer | null; error: string | null };

/** The widget's answer to one shopper question, as the playground gets it; null question: no preview. */
export async function previewAnswer(
  answer: (request: { shop: string; message: string }) => AsyncIterable<ChatEvent>,
  shop: string,
  q: string | null,
): Promise<KnowledgePreview> {
  if (q === null) return { q: "", answer: null, error: null };
  const parsed = playgroundQuery.safeParse({ q });
  if (!parsed.success) return { q, answer: null, error: parsed.error.issues[0]?.message ?? "Invalid question" };
  try {
    return { q, answer: await collectAnswer(answer({ shop, message: parsed.data.q })), error: null };
  } catch (error) {
    return { q, answer: null, error: `Preview failed: ${(error as Error).message}` };
  }
}
