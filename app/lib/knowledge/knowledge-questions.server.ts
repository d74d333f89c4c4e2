// Merchant-written Q&A (decision 125): validated, per shop, indexed the moment it is saved and
// removed from answers the moment it is deleted (no refresh needed: the merchant is watching).
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { KnowledgeStore } from "./knowledge-store.server";

export const MAX_QUESTIONS_PER_SHOP = 200;

export const questionInput = z.object({
  question: z
    .string()
    .trim()
    .min(5, "Write the question as a shopper would ask it (at least 5 characters).")
    .max(200, "Keep the question under 200 characters."),
  answer: z
    .string()
    .trim()
    .min(2, "Write the answer the assistant should give.")
    .max(2000, "Keep the answer under 2,000 characters."),
});
export type QuestionInput = z.infer<typeof questionInput>;

export type QuestionResult =
  { ok: true; id: string } | { ok: false; errors: Partial<Record<"question" | "answer" | "form", string>> };

export class KnowledgeQuestions {
  constructor(
    private readonly db: PrismaClient,
    private readonly store: KnowledgeStore,
  ) {}

  list(shop: string) {
    return this.db.knowledgeQuestion.findMany({
      where: { shop },
      orderBy: { createdAt: "asc" },
      select: { id: true, question: true, answer: true, updatedAt: true },
    });
  }

  /** Creates (no id) or updates an entry; bad input changes nothing and says what to fix. */
  async save(shop: string, raw: unknown, id?: string): Promise<QuestionResult> {
    const parsed = questionInput.safeParse(raw);
    if (!parsed.success) {
      const errors: Partial<Record<"question" | "answer", string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === "answer" ? "answer" : "question";
        errors[field] ??= issue.message;
      }
      return { ok: false, errors };
    }
    const { question, answer } = parsed.data;
    if (id) {
      const existing = await this.db.knowledgeQuestion.findFirst({ where: { id, shop }, select: { id: true } });
      if (!existing) return { ok: false, errors: { form: "That question no longer exists." } };
    } else if ((await this.db.knowledgeQuestion.count({ where: { shop } })) >= MAX_QUESTIONS_PER_SHOP) {
      return { ok: false, errors: { form: `A shop can have at most ${MAX_QUESTIONS_PER_SHOP} questions.` } };
    }
    const saved = id
      ? await this.db.knowledgeQuestion.update({ where: { id }, data: { question, answer } })
      : await this.db.knowledgeQuestion.create({ data: { shop, question, answer } });
    const indexed = await this.store.upsert(shop, {
      kind: "qa",
      sourceId: saved.id,
      title: question,
      url: null,
      body: answer,
    });
    if (!indexed) {
      // The shop's knowledge is full: keep the database and the index in step.
      if (!id) await this.db.knowledgeQuestion.delete({ where: { id: saved.id } });
      return { ok: false, errors: { form: "The store knowledge is full; remove some pages or questions first." } };
    }
    return { ok: true, id: saved.id };
  }

  async remove(shop: string, id: string): Promise<boolean> {
    const { count } = await this.db.knowledgeQuestion.deleteMany({ where: { id, shop } });
    await this.store.remove(shop, "qa", id);
    return count > 0;
  }
}
